package org.grpcetcd.agent.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses {@code -javaagent:grpc-etcd-agent.jar=service=orders,ttl=5}. A piece without {@code =} continues the
 * value before it, so {@code endpoints=http://a:2379,http://b:2379} keeps both endpoints.
 */
public final class AgentArguments {
    private AgentArguments() {
    }

    /**
     * The agent arguments that {@link #parse} reads back as {@code settings} (by setting name), for {@code attach}.
     * Refuses a value that would not come back whole: a comma followed by a piece with {@code =} starts a new
     * setting.
     */
    public static String format(Map<String, String> settings) {
        StringBuilder arguments = new StringBuilder();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String pair = setting.getKey() + "=" + setting.getValue().trim();
            if (!parse(pair).equals(Map.of(setting.getKey(), setting.getValue().trim()))) {
                // the value is not quoted: it may be a password
                throw new IllegalArgumentException("--" + setting.getKey() + " cannot be passed to the agent: in"
                        + " its value, a comma may not be followed by text holding '='");
            }
            arguments.append(arguments.length() == 0 ? "" : ",").append(pair);
        }
        return arguments.toString();
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
