package org.grpcetcd.agent.bootstrap;

/**
 * What the agent does when rewritten gRPC code reports in. The arguments are the app's own gRPC objects,
 * typed as {@code Object} because this module sees JDK types only.
 */
public interface GrpcEvents {
    /** An {@code io.grpc.internal.ServerImpl} returned from {@code start()}. */
    void serverStarted(Object server);

    /** {@code shutdown()} or {@code shutdownNow()} was called; runs before the server stops taking calls. */
    void serverStopping(Object server);

    /** {@code NameResolverRegistry.getDefaultRegistry()} is about to return this registry. */
    void defaultRegistry(Object registry);
}
