package org.grpcetcd.agent.bootstrap;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/** One address of a service as read from etcd, with the metadata its registrant attached (may be empty). */
public final class Endpoint {
    private final InetSocketAddress address;
    private final Map<String, String> metadata;

    public Endpoint(InetSocketAddress address, Map<String, String> metadata) {
        this.address = Objects.requireNonNull(address, "address");
        this.metadata = Map.copyOf(metadata);
    }

    public InetSocketAddress address() {
        return address;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Endpoint)) {
            return false;
        }
        Endpoint that = (Endpoint) other;
        return address.equals(that.address) && metadata.equals(that.metadata);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + metadata.hashCode();
    }

    @Override
    public String toString() {
        return address.getHostString() + ":" + address.getPort() + (metadata.isEmpty() ? "" : " " + metadata);
    }
}
