package org.grpcetcd.agent.cli;

import java.util.ArrayList;
import java.util.List;
import org.grpcetcd.agent.bootstrap.Endpoint;
import org.grpcetcd.agent.discovery.EndpointValues;
import org.grpcetcd.agent.etcd.KeyValue;
import org.grpcetcd.agent.naming.KeyLayout;

/** One registered instance as etcd holds it: {@code <root><service>/<anything>} with an endpoint value. */
final class Instance {
    final String service;
    final String key;
    final Endpoint endpoint;
    final long leaseId;

    private Instance(String service, String key, Endpoint endpoint, long leaseId) {
        this.service = service;
        this.key = key;
        this.endpoint = endpoint;
        this.leaseId = leaseId;
    }

    /**
     * The instances among {@code keyValues}, all under {@code layout}'s root; keys whose value is no endpoint are
     * not instances.
     */
    static List<Instance> from(List<KeyValue> keyValues, KeyLayout layout) {
        List<Instance> instances = new ArrayList<>();
        int serviceStart = layout.root().length();
        for (KeyValue kv : keyValues) {
            int slash = kv.key().lastIndexOf('/');
            if (slash <= serviceStart) {
                continue;
            }
            try {
                instances.add(new Instance(kv.key().substring(serviceStart, slash), kv.key(),
                        EndpointValues.parse(kv.value()), kv.leaseId()));
            } catch (IllegalArgumentException notAnEndpoint) {
                // some other application's key
            }
        }
        return instances;
    }

    String address() {
        return endpoint.address().getHostString() + ":" + endpoint.address().getPort();
    }
}
