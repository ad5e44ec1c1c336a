package org.grpcetcd.agent.config;

import java.util.Locale;

/**
 * Every setting the agent reads. Each is the system property {@code grpc.etcd.<name>}, the environment variable
 * {@code GRPC_ETCD_<NAME>} and the agent argument {@code <name>=value}. README.md's settings table lists these
 * same names (a test holds the two together).
 */
public enum Setting {
    ENDPOINTS("endpoints", "http://127.0.0.1:2379",
            "etcd endpoints, comma- or semicolon-separated, as http://host:port or host:port"),
    SERVICE("service", null,
            "the service name servers register under; unset: each gRPC service a server exposes, except grpc.*"),
    METADATA("metadata.<key>", null,
            "metadata written into the value's Metadata object, one setting per key"),
    KEY_FORMAT("key-format", "etcd",
            "etcd (<service>/<host>:<port>, Go naming JSON) or grpcEtcd (/grpcEtcd/<service>/<host>:<port>, plain"
                    + " address)"),
    HEALTH_GATED("health-gated", "false",
            "true: a server whose grpc.health.v1.Health says NOT_SERVING leaves etcd until it says SERVING again"
                    + " (true or false)"),
    DEFAULT_SCHEME("default-scheme", "false",
            "true: targets without a scheme resolve through etcd (true or false)"),
    TTL("ttl", "10", "lease time-to-live in seconds, 2 to 3600"),
    ADVERTISE_ADDRESS("advertise-address", null,
            "host or IP written to etcd instead of the bound address; a wildcard bind is otherwise advertised"
                    + " as this host's first non-loopback address"),
    LOAD_BALANCING("load-balancing", "round_robin",
            "load-balancing policy of channels on etcd:/// targets: round_robin or pick_first"),
    DRAIN_MS("drain-ms", "1000",
            "milliseconds a stopping server keeps serving after its keys are deleted, 0 to 60000"),
    DEREGISTER_TIMEOUT_MS("deregister-timeout-ms", "2000",
            "milliseconds a stopping server waits at most for etcd to delete its keys, 100 to 60000"),
    TLS_CA_FILE("tls.ca-file", null,
            "PEM file of the CA certificates that https endpoints are verified against; unset: the JVM's trust store"),
    TLS_CERT_FILE("tls.cert-file", null,
            "PEM file of the client certificate (chain) for etcd started with --client-cert-auth"),
    TLS_KEY_FILE("tls.key-file", null, "PEM file of the client certificate's key: PKCS#8 or PKCS#1 RSA"),
    USER("user", null, "etcd user for etcd with auth enabled"),
    PASSWORD("password", null, "the etcd user's password; never logged"),
    PASSWORD_FILE("password-file", null,
            "a file holding the etcd user's password; a new password in it is picked up without a restart"),
    CREDENTIALS_CHECK_MS("credentials-check-ms", "2000",
            "milliseconds between two looks at the content of the TLS files and the password file, 500 to 600000;"
                    + " new content is used once it has held still for one look"),
    LOG_LEVEL("log-level", "info", "the agent's own log on stderr: debug, info, warn, error or off");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The kebab-case name, as in agent arguments. */
    public String key() {
        return key;
    }

    public String systemProperty() {
        return "grpc.etcd." + key;
    }

    public String environmentVariable() {
        return "GRPC_ETCD_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The default as text, or {@code null} where there is none. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
