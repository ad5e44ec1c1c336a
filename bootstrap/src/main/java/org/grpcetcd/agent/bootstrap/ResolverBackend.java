package org.grpcetcd.agent.bootstrap;

import java.util.List;

/** What the resolver classes defined in the app's class loader ask of the agent. */
public interface ResolverBackend {
    /** The schemes of targets the agent resolves, in lower case: {@code etcd:///orders}, {@code grpcEtcd://x/orders}. */
    List<String> schemes();

    /** Whether scheme-less targets resolve through {@code etcd}. */
    boolean etcdIsDefaultScheme();

    /**
     * Starts delivering the endpoints of {@code service}, as laid out in etcd for {@code scheme}, to
     * {@code listener}, on an agent thread: a list once etcd holds one, or why there is none.
     */
    Subscription subscribe(String scheme, String service, EndpointListener listener);

    /** The load-balancing policy that channels on {@code etcd:///} targets use, such as {@code round_robin}. */
    String loadBalancingPolicy();

    /** Logs a problem seen on the gRPC side, once per distinct message. */
    void warn(String message);
}
