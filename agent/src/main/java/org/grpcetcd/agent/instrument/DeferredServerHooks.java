package org.grpcetcd.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.List;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.log.LogLevel;

/**
 * Hooks {@code ServerImpl} off the app's thread. Weaving it as it loads would hold the app's thread while
 * ByteBuddy loads and warms up (0.35-0.57 s measured on 2 CPUs, start-up x1.8 on a small server); instead the
 * class loads untouched, and a thread of the agent's own retransforms it with the hooks and hands over the
 * servers that started in the meantime, found in gRPC's channelz registry ({@link LoadedGrpc}).
 */
final class DeferredServerHooks {
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

    private void hook(ClassLoader loader) {
        try {
            // waits until the app's thread has finished defining the class
            Class<?> serverImpl = Class.forName(HookedGrpcClasses.SERVER_IMPL, false, loader);
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
