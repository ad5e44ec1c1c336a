package org.grpcetcd.agent.naming;

import java.util.Map;

/** Where in etcd a service's endpoints live, and how each is written; registration and discovery share it. */
public enum KeyLayout {
    /** etcd's own Go naming layout: {@code <service>/<host>:<port>} → {@code {"Op":0,"Addr":...}}; scheme etcd. */
    ETCD("etcd", "etcd", "") {
        @Override
        public String value(String hostPort, Map<String, String> metadata) {
            return NamingValue.of(hostPort, metadata);
        }
    },
    /** The classic article's layout: {@code /grpcEtcd/<service>/<host>:<port>} → the plain address. */
    GRPC_ETCD("grpcEtcd", "grpcetcd", "/grpcEtcd/") {
        @Override
        public String value(String hostPort, Map<String, String> metadata) {
            return hostPort;
        }
    };

    private final String settingValue;
    private final String scheme;
    private final String root;

    KeyLayout(String settingValue, String scheme, String root) {
        this.settingValue = settingValue;
        this.scheme = scheme;
        this.root = root;
    }

    /** The value of {@code grpc.etcd.key-format} that selects this layout. */
    public String settingValue() {
        return settingValue;
    }

    /** The (lower-case) target scheme whose resolver reads this layout. */
    public String scheme() {
        return scheme;
    }

    /** The prefix under which every service's prefix lies: "" for etcd's layout, "/grpcEtcd/" for the other. */
    public String root() {
        return root;
    }

    /** The prefix under which all of {@code service}'s endpoints live. */
    public String prefix(String service) {
        return root + service + "/";
    }

    public String key(String service, String hostPort) {
        return prefix(service) + hostPort;
    }

    public abstract String value(String hostPort, Map<String, String> metadata);

    /** The layout read for targets of {@code scheme} (any case), or {@code null}. */
    public static KeyLayout forScheme(String scheme) {
        for (KeyLayout layout : values()) {
            if (layout.scheme.equalsIgnoreCase(scheme)) {
                return layout;
            }
        }
        return null;
    }
}
