package org.grpcetcd.agent.grpc;

import io.grpc.Attributes;
import java.util.Map;

/** Attributes the resolver puts on each address, for load balancers and interceptors that want them. */
public final class EndpointAttributes {
    /** The registrant's metadata, from the {@code Metadata} field of the etcd value. */
    public static final Attributes.Key<Map<String, String>> METADATA =
            Attributes.Key.create("org.grpcetcd.agent.endpoint-metadata");

    private EndpointAttributes() {
    }
}
