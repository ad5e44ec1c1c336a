package org.grpcetcd.agent.instrument;

import net.bytebuddy.asm.Advice;
import org.grpcetcd.agent.bootstrap.GrpcHooks;

/**
 * The code woven into the app's gRPC classes. ByteBuddy copies these method bodies into gRPC's own methods, so
 * they may name nothing but JDK types and {@code org.grpcetcd.agent.bootstrap}, which every class loader that
 * delegates to the system loader sees. {@code suppress = Throwable.class} keeps any failure, even a missing
 * {@link GrpcHooks}, out of the app's call; the hooks themselves swallow the agent's own errors too.
 */
final class GrpcHookAdvice {
    private GrpcHookAdvice() {
    }

    /** {@code ServerImpl.start()}: after it returned normally, the server listens and is handed to the agent. */
    static final class ServerStarted {
        private ServerStarted() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object server) {
            GrpcHooks.serverStarted(server);
        }
    }

    /** {@code ServerImpl.shutdown()}/{@code shutdownNow()}: first thing, while the server still takes calls. */
    static final class ServerStopping {
        private ServerStopping() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object server) {
            GrpcHooks.serverStopping(server);
        }
    }

    /** {@code NameResolverRegistry.getDefaultRegistry()}: the registry gets the etcd resolvers before it is returned. */
    static final class DefaultRegistry {
        private DefaultRegistry() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object registry) {
            GrpcHooks.defaultRegistry(registry);
        }
    }
}
