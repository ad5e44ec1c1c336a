package org.grpcetcd.agent.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.grpcetcd.agent.etcd.EtcdAccess;
import org.grpcetcd.agent.log.LogLevel;
import org.grpcetcd.agent.naming.KeyLayout;

/**
 * Reads and validates every setting. A bad value never stops the app: it is reported as one message naming the
 * setting, where it came from and what is accepted, and the default is used instead. The CLI parses the same
 * way but refuses to run on a bad value ({@link #refusals()}): a CLI that fell back to a default endpoint would
 * show another etcd than the one asked for.
 */
public final class SettingsLoader {
    private final SettingSources sources;
    private final List<String> problems = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    private SettingsLoader(SettingSources sources) {
        this.sources = sources;
    }

    /** Loads from this JVM's system properties and environment and the given agent arguments. */
    public static SettingsLoader fromJvm(String agentArguments) {
        return of(System.getProperties(), AgentArguments.parse(agentArguments), System.getenv());
    }

    /**
     * Loads for the CLI: its options ({@code --<name> value}, by setting name) beat this JVM's system properties,
     * which beat its environment.
     */
    public static SettingsLoader fromCli(Map<String, String> options) {
        return of(options, System.getProperties(), Map.of(), System.getenv());
    }

    /**
     * Loads the CLI's options alone, for {@code attach}: they become the agent arguments of the JVM it attaches
     * to, where that JVM's own system properties and environment apply, not the CLI's.
     */
    public static SettingsLoader fromOptionsOnly(Map<String, String> options) {
        return of(options, new Properties(), Map.of(), Map.of());
    }

    static SettingsLoader of(Properties properties, Map<String, String> agentArguments, Map<String, String> env) {
        return of(Map.of(), properties, agentArguments, env);
    }

    static SettingsLoader of(Map<String, String> options, Properties properties, Map<String, String> agentArguments,
            Map<String, String> env) {
        return new SettingsLoader(new SettingSources(options, properties, agentArguments, env));
    }

    /** Problems met by {@link #load()}, one message each, ready for the log: each says what is used instead. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * The same problems as {@link #problems()}, for a tool that refuses to run on them: each names the setting,
     * where it came from, its value and what is accepted, without the fallback the agent uses.
     */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** One problem: what is wrong (the refusal) and, for the log, what the agent does instead. */
    private void problem(String whatIsWrong, String whatTheAgentDoes) {
        refusals.add(whatIsWrong);
        problems.add(whatIsWrong + whatTheAgentDoes);
    }

    @SuppressWarnings("unchecked")
    public Settings load() {
        reportUnknownAgentArguments();
        EtcdAccess.TlsFiles tls = new EtcdAccess.TlsFiles(path(Setting.TLS_CA_FILE), path(Setting.TLS_CERT_FILE),
                path(Setting.TLS_KEY_FILE));
        String user = sources.raw(Setting.USER);
        String password = readPassword(user);
        // the file a password came from, to be read again when it changes; a password set directly wins over it
        Path passwordFile = sources.raw(Setting.PASSWORD) == null && sources.raw(Setting.PASSWORD_FILE) != null
                ? Path.of(sources.raw(Setting.PASSWORD_FILE)) : null;
        return new Settings((List<URI>) read(Setting.ENDPOINTS), (String) read(Setting.SERVICE),
                (Integer) read(Setting.TTL), (String) read(Setting.ADVERTISE_ADDRESS),
                (String) read(Setting.LOAD_BALANCING), (Long) read(Setting.DRAIN_MS),
                (Long) read(Setting.DEREGISTER_TIMEOUT_MS), (LogLevel) read(Setting.LOG_LEVEL), readMetadata(),
                (KeyLayout) read(Setting.KEY_FORMAT), (Boolean) read(Setting.DEFAULT_SCHEME), tls, user,
                password, passwordFile, (Long) read(Setting.CREDENTIALS_CHECK_MS),
                (Boolean) read(Setting.HEALTH_GATED));
    }

    /**
     * The typed value of a setting's text. A switch, not a table of lambdas: this runs while the app starts its
     * first server or channel, where the first lambda would cost tens of milliseconds of java.lang.invoke set-up.
     */
    private static Object parse(Setting setting, String text) {
        switch (setting) {
            case ENDPOINTS: return parseEndpoints(text);
            case SERVICE: return parseService(text);
            case TTL: return parseInt(text, 2, 3600);
            case ADVERTISE_ADDRESS: return parseHost(text);
            case LOAD_BALANCING: return parseLoadBalancing(text);
            case DRAIN_MS: return (long) parseInt(text, 0, 60_000);
            case DEREGISTER_TIMEOUT_MS: return (long) parseInt(text, 100, 60_000);
            case CREDENTIALS_CHECK_MS: return (long) parseInt(text, 500, 600_000);
            case LOG_LEVEL: return parseLogLevel(text);
            case KEY_FORMAT: return parseKeyLayout(text);
            case DEFAULT_SCHEME: case HEALTH_GATED: return parseBoolean(text);
            default: throw new IllegalStateException(setting + " is not parsed here");
        }
    }

    /**
     * A TLS file: kept even when unreadable now, because it is read again on every retry until it works, and
     * watched for new content.
     */
    private Path path(Setting setting) {
        String raw = sources.raw(setting);
        if (raw == null) {
            return null;
        }
        Path path = Path.of(raw);
        if (!Files.isReadable(path)) {
            problem(setting.systemProperty() + " (" + sources.origin(setting) + "): cannot read " + raw,
                    "; https endpoints fail until it can be read (it is read again on each retry)");
        }
        return path;
    }

    /**
     * The password, from its setting or from its file (read here once; the agent reads it again when its content
     * changes); problems never quote it.
     */
    private String readPassword(String user) {
        String password = sources.raw(Setting.PASSWORD);
        String file = sources.raw(Setting.PASSWORD_FILE);
        if (password == null && file != null) {
            try {
                password = Files.readString(Path.of(file)).strip();
            } catch (IOException | RuntimeException e) {
                problem(Setting.PASSWORD_FILE.systemProperty() + " (" + sources.origin(Setting.PASSWORD_FILE)
                        + "): cannot read " + file + (Files.exists(Path.of(file)) ? "" : ": no such file"),
                        "; authenticating without a password until it can be read");
            }
        }
        if (password != null && user == null) {
            problem("a password is set but grpc.etcd.user is not; accepted: a password together with a user",
                    "; the password is not used");
        }
        return password;
    }

    private Map<String, String> readMetadata() {
        Map<String, String> metadata = new java.util.TreeMap<>();
        for (Map.Entry<String, String> entry : sources.family("metadata").entrySet()) {
            if (hasSpaceOrControl(entry.getKey(), "\"")) {
                problem("metadata key '" + entry.getKey() + "' may not hold spaces, quotes or control characters",
                        "; ignored");
            } else {
                metadata.put(entry.getKey(), entry.getValue());
            }
        }
        return metadata;
    }

    private void reportUnknownAgentArguments() {
        for (String name : sources.agentArgumentNames()) {
            if (!name.startsWith("metadata.") && !isSettingKey(name)) {
                problem("unknown agent argument '" + name + "' ignored; known settings: " + knownKeys(), ""); // not in the CLI
            }
        }
    }

    private static boolean isSettingKey(String name) {
        for (Setting setting : Setting.values()) {
            if (setting.key().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String knownKeys() {
        StringBuilder keys = new StringBuilder();
        for (Setting setting : Setting.values()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(setting.key());
        }
        return keys.toString();
    }

    private Object read(Setting setting) {
        String raw = sources.raw(setting);
        if (raw != null) {
            try {
                return parse(setting, raw);
            } catch (IllegalArgumentException e) {
                problem(setting.systemProperty() + " (" + sources.origin(setting) + ") has a bad value '"
                        + shown(setting, raw) + "': " + e.getMessage() + "; accepted: " + setting.description(),
                        ". Using " + (setting.defaultValue() == null ? "no value" : "the default "
                                + setting.defaultValue()) + " instead");
            }
        }
        return setting.defaultValue() == null ? null : parse(setting, setting.defaultValue());
    }

    /** A setting's raw text as it may be logged: a password never, an endpoint's user:password@ masked. */
    static String shown(Setting setting, String raw) {
        if (setting == Setting.PASSWORD) {
            return "****";
        }
        StringBuilder out = new StringBuilder(raw);
        for (int scheme = out.indexOf("://"); scheme >= 0; scheme = out.indexOf("://", scheme + 3)) {
            int start = scheme + 3;
            int at = out.indexOf("@", start);
            int next = firstOf(out, start, "/,;");
            if (at > start && (next < 0 || at < next)) {
                out.replace(start, at, "****");
            }
        }
        return out.toString();
    }

    private static int firstOf(CharSequence text, int from, String stops) {
        for (int i = from; i < text.length(); i++) {
            if (stops.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    static List<URI> parseEndpoints(String text) {
        List<URI> endpoints = new ArrayList<>();
        for (String piece : splitOnCommasAndSemicolons(text)) {
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
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("an endpoint holds no user or password; set grpc.etcd.user and"
                        + " grpc.etcd.password instead");
            }
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("'" + trimmed + "' needs a host and a port");
            }
            if (uri.getPort() < 1 || uri.getPort() > 65535) {
                throw new IllegalArgumentException("'" + trimmed + "': port out of range (1 to 65535)");
            }
            endpoints.add(URI.create(scheme + "://" + uri.getRawAuthority()));
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoint given");
        }
        return endpoints;
    }

    private static List<String> splitOnCommasAndSemicolons(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ',' || text.charAt(i) == ';') {
                pieces.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return pieces;
    }

    private static boolean hasSpaceOrControl(String text, String alsoRefused) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || alsoRefused.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static String parseService(String text) {
        if (hasSpaceOrControl(text, "")) {
            throw new IllegalArgumentException("a service name has no spaces or control characters");
        }
        return text;
    }

    private static String parseHost(String text) {
        if (hasSpaceOrControl(text, "/")) {
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
