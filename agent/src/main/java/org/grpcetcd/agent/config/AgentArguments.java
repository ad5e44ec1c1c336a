package org.grpcetcd.agent.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses {@code -javaagent:grpc-etcd-agent.jar=service=orders,ttl=5}. A piece without {@code =} continues the
 * value before it, so {@code endpoints=http://a:2379,http://b:2379} keeps both endpoints.
 */
final class AgentArguments {
    private AgentArguments() {
    }

    static Map<String, String> parse(String arguments) {
        Map<String, String> values = new HashMap<>();
        if (arguments == null || arguments.isBlank()) {
            return values;
        }
        String lastKey = null;
        for (String piece : arguments.split(",")) {
            int equals = piece.indexOf('=');
            if (equals > 0) {
                lastKey = piece.substring(0, equals).trim();
                values.put(lastKey, piece.substring(equals + 1).trim());
            } else if (lastKey != null) {
                values.put(lastKey, values.get(lastKey) + "," + piece.trim());
            } else if (!piece.isBlank()) {
                values.put(piece.trim(), "");
            }
        }
        return values;
    }
}
