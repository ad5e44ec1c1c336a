package org.grpcetcd.agent.bootstrap;

import java.util.List;

/** Receives the current, never empty, list of a service's endpoints each time it changes. */
public interface EndpointListener {
    void onEndpoints(List<Endpoint> endpoints);

    /** etcd answered, and holds no endpoint of the service (yet); called until the first list arrives. */
    default void onNoEndpoints() {
    }
}
