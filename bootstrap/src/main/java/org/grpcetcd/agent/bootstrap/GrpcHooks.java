package org.grpcetcd.agent.bootstrap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The static entry points that the agent's bytecode rewrite adds to the app's gRPC classes.
 *
 * <p>Each one swallows every {@link Throwable}: whatever goes wrong in the agent must never reach the app's
 * call to {@code start()}, {@code shutdown()} or a channel builder. The rewritten classes also wrap the call
 * itself, in case this class cannot be seen from their class loader.
 *
 * <p>A server reaches {@link #serverStarted} once, however it is found: through the hook in {@code start()}, or
 * through gRPC's channelz registry for a server that started before the hook was woven in (the agent weaves it
 * into {@code ServerImpl} by retransformation on a thread of its own, off the app's start-up).
 *
 * <p>The agent reads its settings only once gRPC is in use, on its own thread (see {@code AgentStarter}), so a
 * hook may come first. A server started before then is kept here and handed over when the agent is installed
 * (and forgotten if it stops first); the default registry, which must have the etcd resolver before any channel
 * looks up a scheme, waits for the agent.
 */
public final class GrpcHooks {
    private static final long INSTALL_WAIT_SECONDS = 10;
    private static final Object LOCK = new Object();
    private static final CountDownLatch FIRST_USE = new CountDownLatch(1);
    private static final CountDownLatch START_ENDED = new CountDownLatch(1);
    private static final List<Object> STARTED_BEFORE_INSTALL = new ArrayList<>(); // guarded by LOCK
    /** Servers already reported; gRPC's servers do not override equals, so this is by identity. */
    private static final Map<Object, Boolean> REPORTED = Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile GrpcEvents events;

    private GrpcHooks() {
    }

    /** For the agent's start-up thread: returns once gRPC calls a hook, or after {@code maxWaitMillis}. */
    public static void awaitFirstUse(long maxWaitMillis) throws InterruptedException {
        FIRST_USE.await(maxWaitMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * A channel builder is loading: the default registry, which waits for the agent, will be asked for a few
     * hundred classes later. Starting the agent now has it ready by then.
     */
    public static void channelBuilderLoading() {
        FIRST_USE.countDown();
    }

    /** Installs the agent and hands it the servers that started while it was starting. */
    public static void install(GrpcEvents installed) {
        synchronized (LOCK) {
            events = installed;
            for (Object server : STARTED_BEFORE_INSTALL) {
                serverStarted(installed, server);
            }
            STARTED_BEFORE_INSTALL.clear();
        }
    }

    /** The agent's start-up is over, installed or not: nothing waits for it any longer. */
    public static void startEnded() {
        synchronized (LOCK) {
            STARTED_BEFORE_INSTALL.clear();
        }
        START_ENDED.countDown();
    }

    public static void serverStarted(Object server) {
        if (REPORTED.putIfAbsent(server, Boolean.TRUE) != null) {
            return;
        }
        GrpcEvents current = events;
        if (current == null) {
            synchronized (LOCK) {
                current = events;
                if (current == null) {
                    if (START_ENDED.getCount() > 0) {
                        STARTED_BEFORE_INSTALL.add(server);
                        FIRST_USE.countDown();
                    }
                    return;
                }
            }
        }
        serverStarted(current, server);
    }

    public static void serverStopping(Object server) {
        GrpcEvents current = events;
        if (current == null) {
            synchronized (LOCK) {
                current = events;
                if (current == null) {
                    STARTED_BEFORE_INSTALL.remove(server); // never registered: nothing to take out of etcd
                    return;
                }
            }
        }
        try {
            current.serverStopping(server);
        } catch (Throwable ignored) {
            // the agent logs its own failures; nothing may escape into the app
        }
    }

    public static void defaultRegistry(Object registry) {
        GrpcEvents current = events;
        if (current == null) {
            FIRST_USE.countDown();
            try {
                START_ENDED.await(INSTALL_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            current = events;
            if (current == null) {
                return;
            }
        }
        try {
            current.defaultRegistry(registry);
        } catch (Throwable ignored) {
            // as above
        }
    }

    private static void serverStarted(GrpcEvents current, Object server) {
        try {
            current.serverStarted(server);
        } catch (Throwable ignored) {
            // as above
        }
    }
}
