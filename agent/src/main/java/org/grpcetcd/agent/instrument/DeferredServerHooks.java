package org.grpcetcd.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.log.LogLevel;

/**
 * Hooks {@code ServerImpl} off the app's thread. For a class file the build did not weave ({@link WovenClasses}),
 * weaving it as it loads would hold the app's thread while ByteBuddy loads and warms up (0.35-0.57 s measured on 2
 * CPUs, start-up x1.8 on a small server); instead the class loads untouched, and a thread of the agent's own, once
 * the app's first server listens, retransforms it with the hooks and hands over the servers that started in the
 * meantime, found in gRPC's channelz registry ({@link LoadedGrpc}, which an attach to a running JVM uses too).
 */
final class DeferredServerHooks {
    private static final long MAX_WAIT_MILLIS = 2_000;
    private static final long POLL_MILLIS = 10;

    private final Instrumentation instrumentation;
    private final HeldLog log;

    DeferredServerHooks(Instrumentation instrumentation, HeldLog log) {
        this.instrumentation = instrumentation;
        this.log = log;
    }

    /** {@code ServerImpl} is being defined by {@code loader} on the calling (app) thread: hooks it shortly. */
    void serverClassLoading(ClassLoader loader) {
        Thread thread = new Thread(() -> hook(loader), "grpc-etcd-agent-hooks");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stays out of the app's way until its first server listens (or {@link #MAX_WAIT_MILLIS}): loading ByteBuddy
     * takes a CPU for 0.35-0.57 s, which on few cores would slow the app's own start-up even from another thread.
     * Asking channelz every few milliseconds costs next to nothing.
     */
    private static void awaitAStartedServer(ClassLoader loader) throws ReflectiveOperationException,
            InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
        while (LoadedGrpc.startedServers(loader).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
    }

    private void hook(ClassLoader loader) {
        try {
            // waits until the app's thread has finished defining the class
            Class<?> serverImpl = Class.forName(HookedGrpcClasses.SERVER_IMPL, false, loader);
            awaitAStartedServer(loader);
            List<Object> started;
            synchronized (this) { // one retransformation at a time, should two loaders come at once
                started = new LoadedGrpc(instrumentation).instrument(List.of(serverImpl));
            }
            for (Object server : started) {
                GrpcHooks.serverStarted(server);
            }
        } catch (Throwable e) {
            log.log(LogLevel.ERROR, "could not hook gRPC's servers in " + loader + " (" + AgentLog.describe(e)
                    + "); they are not registered in etcd, the app runs as without the agent");
        }
    }
}
