package org.grpcetcd.it.support.secure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.Binaries;
import org.grpcetcd.it.support.Poll;

/**
 * The real {@code etcdctl} against a TLS etcd, as an operator runs it: {@code --cacert}, a client certificate
 * when given, and {@code --user root:<password>} once auth is on. Independent of the agent's code.
 */
public final class SecureEtcdCtl {
    private static final Pattern KVS = Pattern.compile("\"kvs\":\\[(.*)\\]");
    private static final Pattern KV_OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("\"value\":\"([^\"]*)\"");
    private static final Pattern LEASE = Pattern.compile("\"lease\":(\\d+)");
    private static final Pattern TTL = Pattern.compile("\"ttl\":(-?\\d+)");

    private final String endpoint;
    private final Path caFile;
    private final Pki.CertPair client;
    private final String user;

    public SecureEtcdCtl(String endpoint, Path caFile, Pki.CertPair client) {
        this(endpoint, caFile, client, null);
    }

    private SecureEtcdCtl(String endpoint, Path caFile, Pki.CertPair client, String user) {
        this.endpoint = endpoint;
        this.caFile = caFile;
        this.client = client;
        this.user = user;
    }

    /** The same etcdctl, authenticating as {@code name:password}. */
    public SecureEtcdCtl as(String name, String password) {
        return new SecureEtcdCtl(endpoint, caFile, client, name + ":" + password);
    }

    /**
     * Turns auth on: root (with the root role), a role granted readwrite on {@code prefix}, a user holding only
     * that role; then {@code auth enable}. Returns an etcdctl that authenticates as root.
     */
    public SecureEtcdCtl enableAuth(String rootPassword, String userName, String userPassword, String role,
            String prefix) {
        run("user", "add", "root:" + rootPassword);
        run("user", "grant-role", "root", "root");
        run("user", "add", userName + ":" + userPassword);
        run("role", "add", role);
        run("role", "grant-permission", role, "--prefix=true", "readwrite", prefix);
        run("user", "grant-role", userName, role);
        run("auth", "enable");
        return as("root", rootPassword);
    }

    /** Every key under {@code prefix}, sorted. */
    public Map<String, Entry> entries(String prefix) {
        String json = run("get", "--prefix", prefix, "-w", "json");
        Map<String, Entry> entries = new TreeMap<>();
        Matcher kvs = KVS.matcher(json);
        if (!kvs.find()) {
            return entries;
        }
        Matcher object = KV_OBJECT.matcher(kvs.group(1));
        while (object.find()) {
            String kv = object.group();
            String key = decode(field(KEY, kv, null));
            entries.put(key, new Entry(key, decode(field(VALUE, kv, "")), Long.parseLong(field(LEASE, kv, "0"))));
        }
        return entries;
    }

    public Optional<Entry> get(String key) {
        return Optional.ofNullable(entries(key).get(key));
    }

    /** Polls every 100 ms until {@code key} exists, and returns it. */
    public Entry awaitEntry(String key, Duration timeout) {
        Object[] found = new Object[1];
        Poll.until(() -> {
            Optional<Entry> entry = get(key);
            entry.ifPresent(e -> found[0] = e);
            return entry.isPresent();
        }, timeout, Duration.ofMillis(100), "etcd key " + key + " on " + endpoint);
        return (Entry) found[0];
    }

    /** Seconds the lease has left ({@code etcdctl lease timetolive}); -1 when etcd no longer has it. */
    public long leaseRemaining(long leaseId) {
        return Long.parseLong(field(TTL, run("lease", "timetolive", Long.toHexString(leaseId), "-w", "json"), null));
    }

    /** Runs etcdctl with the given arguments and returns its stdout; fails the test when it fails. */
    public String run(String... arguments) {
        return Commands.run(command(arguments), Map.of("ETCDCTL_API", "3"), 20).stdout;
    }

    private List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Binaries.etcdctl().toString(), "--endpoints=" + endpoint,
                "--dial-timeout=3s", "--command-timeout=5s", "--cacert=" + caFile));
        if (client != null) {
            command.add("--cert=" + client.cert());
            command.add("--key=" + client.key());
        }
        if (user != null) {
            command.add("--user=" + user);
        }
        command.addAll(List.of(arguments));
        return command;
    }

    private static String field(Pattern pattern, String json, String absent) {
        Matcher matcher = pattern.matcher(json);
        if (matcher.find()) {
            return matcher.group(1);
        }
        if (absent == null) {
            throw new IllegalStateException("etcdctl printed no " + pattern + " in " + json);
        }
        return absent;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** One key: its value as text and its lease id (0: none). */
    public static final class Entry {
        private final String key;
        private final String value;
        private final long lease;

        Entry(String key, String value, long lease) {
            this.key = key;
            this.value = value;
            this.lease = lease;
        }

        public String key() {
            return key;
        }

        public String value() {
            return value;
        }

        public long lease() {
            return lease;
        }

        @Override
        public String toString() {
            return key + "=" + value + (lease == 0 ? "" : " (lease " + Long.toHexString(lease) + ")");
        }
    }
}
