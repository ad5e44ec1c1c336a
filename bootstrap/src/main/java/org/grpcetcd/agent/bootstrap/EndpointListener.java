package org.grpcetcd.agent.bootstrap;

import java.util.List;

/**
 * Receives a service's endpoints each time they change, or, when there are none to give, why not: the resolver
 * turns that into an UNAVAILABLE status, so calls fail fast as with a DNS name that does not resolve.
 */
public interface EndpointListener {
    /** The current list, never empty. */
    void onEndpoints(List<Endpoint> endpoints);

    /**
     * etcd answered, and holds no endpoint of the service: none registered yet, or the last one left.
     * {@code description} says so, naming the service and etcd's endpoints.
     */
    default void onNoEndpoints(String description) {
    }

    /**
     * etcd has not answered since the service was first asked for, so there is no list at all;
     * {@code description} names etcd's endpoints and the reason. Once etcd has answered, an outage is not
     * reported: listeners keep what they were last given.
     */
    default void onEtcdUnanswered(String description) {
    }
}
