package org.grpcetcd.agent.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.grpcetcd.agent.etcd.EtcdAccess;
import org.grpcetcd.agent.log.LogLevel;
import org.grpcetcd.agent.naming.KeyLayout;

/**
 * Reads and validates every setting. A bad value never stops the app: it is reported as one message naming the
 * setting, where it came from and what is accepted, and the default is used instead.
 */
public final class SettingsLoader {
    private final SettingSources sources;
    private final List<String> problems = new ArrayList<>();

    private SettingsLoader(SettingSources sources) {
        this.sources = sources;
    }

    /** Loads from this JVM's system properties and environment and the given agent arguments. */
    public static SettingsLoader fromJvm(String agentArguments) {
        return of(System.getProperties(), AgentArguments.parse(agentArguments), System.getenv());
    }

    /** Loads from the given properties (the CLI's, with its options applied) and this JVM's environment. */
    public static SettingsLoader fromProperties(Properties properties) {
        return of(properties, Map.of(), System.getenv());
    }

    static SettingsLoader of(Properties properties, Map<String, String> agentArguments, Map<String, String> env) {
        return new SettingsLoader(new SettingSources(properties, agentArguments, env));
    }

    /** Problems met by {@link #load()}, one message each, ready for the log. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public Settings load() {
        reportUnknownAgentArguments();
        List<URI> endpoints = read(Setting.ENDPOINTS, SettingsLoader::parseEndpoints);
        String service = read(Setting.SERVICE, SettingsLoader::parseService);
        int ttl = read(Setting.TTL, text -> parseInt(text, 2, 3600));
        String advertise = read(Setting.ADVERTISE_ADDRESS, SettingsLoader::parseHost);
        String balancing = read(Setting.LOAD_BALANCING, SettingsLoader::parseLoadBalancing);
        long drain = read(Setting.DRAIN_MS, text -> (long) parseInt(text, 0, 60_000));
        long deregisterTimeout = read(Setting.DEREGISTER_TIMEOUT_MS, text -> (long) parseInt(text, 100, 60_000));
        LogLevel level = read(Setting.LOG_LEVEL, SettingsLoader::parseLogLevel);
        KeyLayout layout = read(Setting.KEY_FORMAT, SettingsLoader::parseKeyLayout);
        boolean defaultScheme = read(Setting.DEFAULT_SCHEME, SettingsLoader::parseBoolean);
        EtcdAccess.TlsFiles tls = new EtcdAccess.TlsFiles(path(Setting.TLS_CA_FILE), path(Setting.TLS_CERT_FILE),
                path(Setting.TLS_KEY_FILE));
        String user = sources.raw(Setting.USER);
        return new Settings(endpoints, service, ttl, advertise, balancing, drain, deregisterTimeout, level,
                readMetadata(), layout, defaultScheme, tls, user, readPassword(user),
                read(Setting.HEALTH_GATED, SettingsLoader::parseBoolean));
    }

    /** A TLS file: kept even when unreadable now, because it is read again on every retry until it works. */
    private Path path(Setting setting) {
        String raw = sources.raw(setting);
        if (raw == null) {
            return null;
        }
        Path path = Path.of(raw);
        if (!Files.isReadable(path)) {
            problems.add(setting.systemProperty() + " (" + sources.origin(setting) + "): cannot read " + raw
                    + "; https endpoints fail until it can be read (it is read again on each retry)");
        }
        return path;
    }

    /** The password, from its setting or, read once, from its file; problems never quote it. */
    private String readPassword(String user) {
        String password = sources.raw(Setting.PASSWORD);
        String file = sources.raw(Setting.PASSWORD_FILE);
        if (password == null && file != null) {
            try {
                password = Files.readString(Path.of(file)).strip();
            } catch (IOException | RuntimeException e) {
                problems.add(Setting.PASSWORD_FILE.systemProperty() + " (" + sources.origin(Setting.PASSWORD_FILE)
                        + "): cannot read " + file + " (" + e.getClass().getSimpleName() + "); authenticating"
                        + " without a password");
            }
        }
        if (password != null && user == null) {
            problems.add("a password is set but grpc.etcd.user is not; the password is not used");
        }
        return password;
    }

    private Map<String, String> readMetadata() {
        Map<String, String> metadata = new java.util.TreeMap<>();
        sources.family("metadata").forEach((key, value) -> {
            if (key.chars().anyMatch(c -> Character.isISOControl(c) || c == '"')) {
                problems.add("metadata key '" + key + "' ignored: it may not hold quotes or control characters");
            } else {
                metadata.put(key, value);
            }
        });
        return metadata;
    }

    private void reportUnknownAgentArguments() {
        EnumSet<Setting> all = EnumSet.allOf(Setting.class);
        for (String name : sources.agentArgumentNames()) {
            if (!name.startsWith("metadata.") && all.stream().noneMatch(setting -> setting.key().equals(name))) {
                problems.add("unknown agent argument '" + name + "' ignored; known settings: " + knownKeys());
            }
        }
    }

    private static String knownKeys() {
        StringBuilder keys = new StringBuilder();
        for (Setting setting : Setting.values()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(setting.key());
        }
        return keys.toString();
    }

    private <T> T read(Setting setting, Function<String, T> parser) {
        String raw = sources.raw(setting);
        if (raw != null) {
            try {
                return parser.apply(raw);
            } catch (IllegalArgumentException e) {
                problems.add(setting.systemProperty() + " (" + sources.origin(setting) + ") has a bad value '"
                        + raw + "': " + e.getMessage() + "; accepted: " + setting.description() + ". Using "
                        + (setting.defaultValue() == null ? "no value" : "the default " + setting.defaultValue())
                        + " instead");
            }
        }
        return setting.defaultValue() == null ? null : parser.apply(setting.defaultValue());
    }

    static List<URI> parseEndpoints(String text) {
        List<URI> endpoints = new ArrayList<>();
        for (String piece : text.split("[,;]")) {
            String trimmed = piece.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed;
            URI uri;
            try {
                uri = new URI(withScheme);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + trimmed + "' is not a URL");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("'" + trimmed + "' has scheme " + scheme + ", not http or https");
            }
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("'" + trimmed + "' needs a host and a port");
            }
            endpoints.add(URI.create(scheme + "://" + uri.getRawAuthority()));
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoint given");
        }
        return endpoints;
    }

    private static String parseService(String text) {
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("a service name has no spaces or control characters");
        }
        return text;
    }

    private static String parseHost(String text) {
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("not a host name or IP address");
        }
        return text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    }

    private static String parseLoadBalancing(String text) {
        String policy = text.toLowerCase(Locale.ROOT);
        if (!policy.equals("round_robin") && !policy.equals("pick_first")) {
            throw new IllegalArgumentException("unknown policy");
        }
        return policy;
    }

    private static KeyLayout parseKeyLayout(String text) {
        for (KeyLayout layout : KeyLayout.values()) {
            if (layout.settingValue().equalsIgnoreCase(text)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("unknown key format");
    }

    private static boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("not true or false");
    }

    private static LogLevel parseLogLevel(String text) {
        try {
            return LogLevel.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown level");
        }
    }

    static int parseInt(String text, int min, int max) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }
}
