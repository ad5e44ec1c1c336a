package org.grpcetcd.agent.registry;

import org.grpcetcd.agent.json.Json;

/**
 * The value etcd's Go naming package ({@code client/v3/naming/endpoints}) writes for an endpoint, byte for
 * byte: {@code {"Op":0,"Addr":"host:port","Metadata":null}}. {@code Metadata} stays {@code null}: Go clients on
 * etcd 3.4 with grpc-go 1.33 panic on a JSON object there.
 */
final class NamingValue {
    private NamingValue() {
    }

    static String of(String address) {
        return "{\"Op\":0,\"Addr\":" + Json.quote(address) + ",\"Metadata\":null}";
    }
}
