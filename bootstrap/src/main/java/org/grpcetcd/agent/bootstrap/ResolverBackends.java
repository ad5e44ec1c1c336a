package org.grpcetcd.agent.bootstrap;

/** Where the resolver classes, living in the app's class loader, find the agent's {@link ResolverBackend}. */
public final class ResolverBackends {
    private static volatile ResolverBackend backend;

    private ResolverBackends() {
    }

    public static void install(ResolverBackend installed) {
        backend = installed;
    }

    /** The installed backend, or {@code null} before the agent has started. */
    public static ResolverBackend current() {
        return backend;
    }
}
