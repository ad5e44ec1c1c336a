package org.grpcetcd.agent.naming;

import java.util.Map;
import org.grpcetcd.agent.json.Json;

/**
 * The value etcd's Go naming package ({@code client/v3/naming/endpoints}) writes for an endpoint, byte for
 * byte: {@code {"Op":0,"Addr":"host:port","Metadata":null}}. {@code Metadata} stays {@code null} unless the user
 * configures metadata: Go clients on etcd 3.4 with grpc-go 1.33 panic on a JSON object there.
 */
final class NamingValue {
    private NamingValue() {
    }

    /** The value for {@code address}; {@code metadata} goes into {@code Metadata} only when there is some. */
    static String of(String address, Map<String, String> metadata) {
        StringBuilder value = new StringBuilder("{\"Op\":0,\"Addr\":").append(Json.quote(address))
                .append(",\"Metadata\":");
        if (metadata.isEmpty()) {
            return value.append("null}").toString();
        }
        value.append('{');
        boolean first = true;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            value.append(first ? "" : ",").append(Json.quote(entry.getKey())).append(':')
                    .append(Json.quote(entry.getValue()));
            first = false;
        }
        return value.append("}}").toString();
    }
}
