package org.grpcetcd.agent.bootstrap;

/**
 * The static entry points that the agent's bytecode rewrite adds to the app's gRPC classes.
 *
 * <p>Each one swallows every {@link Throwable}: whatever goes wrong in the agent must never reach the app's
 * call to {@code start()}, {@code shutdown()} or a channel builder. The rewritten classes also wrap the call
 * itself, in case this class cannot be seen from their class loader.
 */
public final class GrpcHooks {
    private static volatile GrpcEvents events;

    private GrpcHooks() {
    }

    public static void install(GrpcEvents installed) {
        events = installed;
    }

    public static void serverStarted(Object server) {
        GrpcEvents current = events;
        if (current == null) {
            return;
        }
        try {
            current.serverStarted(server);
        } catch (Throwable ignored) {
            // the agent logs its own failures; nothing may escape into the app
        }
    }

    public static void serverStopping(Object server) {
        GrpcEvents current = events;
        if (current == null) {
            return;
        }
        try {
            current.serverStopping(server);
        } catch (Throwable ignored) {
            // as above
        }
    }

    public static void defaultRegistry(Object registry) {
        GrpcEvents current = events;
        if (current == null) {
            return;
        }
        try {
            current.defaultRegistry(registry);
        } catch (Throwable ignored) {
            // as above
        }
    }
}
