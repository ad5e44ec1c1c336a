package org.grpcetcd.agent.bootstrap;

/** What the resolver classes defined in the app's class loader ask of the agent. */
public interface ResolverBackend {
    /** The scheme of targets the agent resolves, as in {@code etcd:///orders}. */
    String SCHEME = "etcd";

    /**
     * Starts delivering the endpoints of {@code service} to {@code listener}, on an agent thread. The first
     * call comes once etcd has answered with at least one endpoint.
     */
    Subscription subscribe(String service, EndpointListener listener);

    /** The load-balancing policy that channels on {@code etcd:///} targets use, such as {@code round_robin}. */
    String loadBalancingPolicy();

    /** Logs a problem seen on the gRPC side, once per distinct message. */
    void warn(String message);
}
