package org.grpcetcd.agent.discovery;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.grpcetcd.agent.bootstrap.Endpoint;
import org.grpcetcd.agent.json.Json;

/**
 * Reads an endpoint out of an etcd value: Go's naming JSON ({@code {"Op":0,"Addr":"host:port",...}}, field
 * names matched case-insensitively as Go's encoding/json does) or a plain {@code host:port}.
 */
public final class EndpointValues {
    private static final int GO_OP_DELETE = 1;

    private EndpointValues() {
    }

    /** The endpoint in {@code value}; throws {@link IllegalArgumentException} saying why there is none. */
    public static Endpoint parse(String value) {
        String text = value.trim();
        if (!text.startsWith("{")) {
            return new Endpoint(socketAddress(text), Map.of());
        }
        Map<String, Object> object = Json.parseObject(text);
        Object op = field(object, "op");
        if (op instanceof Number && ((Number) op).intValue() == GO_OP_DELETE) {
            throw new IllegalArgumentException("its Op is 1 (delete)");
        }
        Object addr = field(object, "addr");
        if (!(addr instanceof String)) {
            throw new IllegalArgumentException("it has no Addr string");
        }
        return new Endpoint(socketAddress((String) addr), metadata(field(object, "metadata")));
    }

    private static Object field(Map<String, Object> object, String lowerCaseName) {
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static Map<String, String> metadata(Object metadata) {
        Map<String, String> flat = new LinkedHashMap<>();
        if (metadata instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) metadata).entrySet()) {
                flat.put(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
            }
        }
        return flat;
    }

    /** {@code host:port} or {@code [v6]:port}, resolved now so the channel gets a dialable address. */
    static InetSocketAddress socketAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + hostPort + "' needs brackets around its IPv6 host");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + hostPort + "' has a port out of range");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("host '" + host + "' does not resolve");
        }
        return address;
    }
}
