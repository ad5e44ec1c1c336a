package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.secure.Pki;

/**
 * The real {@code etcdctl} (API v3) of this machine, as an operator runs it: plain or TLS ({@code --cacert}, a
 * client certificate), with {@code --user} once auth is on. Independent of the agent's own etcd code, so what the
 * tests see is what any operator would see. It runs on the host, not in an etcd container, so that it works
 * whatever state the member it asks is in (stopped, killed, paused) and with any etcd image.
 * {@link #run} fails the test when etcdctl fails; {@link #attempt} reports it, for members that come and go.
 */
public final class EtcdCtl {
    private static final Pattern KVS = Pattern.compile("\"kvs\":\\[(.*)\\]");
    private static final Pattern KV_OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("\"value\":\"([^\"]*)\"");
    private static final Pattern LEASE = Pattern.compile("\"lease\":(\\d+)");
    private static final Pattern TTL = Pattern.compile("\"ttl\":(-?\\d+)");
    private static final Pattern GRANTED_TTL = Pattern.compile("\"granted-ttl\":(-?\\d+)");
    private static final Duration DIAL = Duration.ofSeconds(3);
    private static final Duration COMMAND = Duration.ofSeconds(5);

    private final String endpoints;
    private final Path caFile;
    private final Pki.CertPair client;
    private final String user;
    private final Duration dial;
    private final Duration command;

    /** Plain http; {@code endpoints} comma-separated. */
    public EtcdCtl(String endpoints) {
        this(endpoints, null, null, null, DIAL, COMMAND);
    }

    public EtcdCtl(EtcdServer server) {
        this(server.endpoint());
    }

    private EtcdCtl(String endpoints, Path caFile, Pki.CertPair client, String user, Duration dial,
            Duration command) {
        this.endpoints = endpoints;
        this.caFile = caFile;
        this.client = client;
        this.user = user;
        this.dial = dial;
        this.command = command;
    }

    /** https verified against {@code caFile}, with the client certificate given (or none). */
    public static EtcdCtl tls(String endpoints, Path caFile, Pki.CertPair client) {
        return new EtcdCtl(endpoints, caFile, client, null, DIAL, COMMAND);
    }

    /** The same etcdctl, authenticating as {@code name:password}. */
    public EtcdCtl as(String name, String password) {
        return new EtcdCtl(endpoints, caFile, client, name + ":" + password, dial, command);
    }

    /** The same etcdctl with other timeouts, such as a short one for members that may not answer. */
    public EtcdCtl withTimeouts(Duration dialTimeout, Duration commandTimeout) {
        return new EtcdCtl(endpoints, caFile, client, user, dialTimeout, commandTimeout);
    }

    /**
     * Turns auth on: root (with the root role), a role granted readwrite on {@code prefix}, a user holding only
     * that role; then {@code auth enable}. Returns an etcdctl that authenticates as root.
     */
    public EtcdCtl enableAuth(String rootPassword, String userName, String userPassword, String role,
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

    /** Every key under {@code prefix}, sorted by key. */
    public Map<String, EtcdEntry> entries(String prefix) {
        String json = run("get", "--prefix", prefix, "-w", "json");
        Map<String, EtcdEntry> entries = new TreeMap<>();
        Matcher kvs = KVS.matcher(json);
        if (!kvs.find()) {
            return entries; // no key: etcd leaves "kvs" out
        }
        Matcher object = KV_OBJECT.matcher(kvs.group(1));
        while (object.find()) {
            String kv = object.group();
            String key = new String(base64(field(KEY, kv, null)), StandardCharsets.UTF_8);
            byte[] value = base64(field(VALUE, kv, ""));
            long lease = Long.parseLong(field(LEASE, kv, "0"));
            entries.put(key, new EtcdEntry(key, value, lease));
        }
        return entries;
    }

    public Optional<EtcdEntry> get(String key) {
        return Optional.ofNullable(entries(key).get(key));
    }

    public boolean exists(String key) {
        return get(key).isPresent();
    }

    /** Polls (every 50 ms) until {@code key} exists, and returns it. */
    public EtcdEntry awaitEntry(String key, Duration timeout) {
        return Poll.untilPresent(() -> get(key), timeout, "etcd key " + key + " on " + endpoints);
    }

    /** Polls until a key under {@code prefix} ends with {@code :<port>}, and returns it. */
    public EtcdEntry awaitEntry(String prefix, Duration timeout, int port) {
        return Poll.untilPresent(() -> entries(prefix).values().stream()
                .filter(entry -> entry.key().endsWith(":" + port)).findFirst(), timeout,
                "a key under " + prefix + " ending with :" + port + " on " + endpoints);
    }

    /** Polls until {@code key} is gone; returns how long that took. */
    public Duration awaitGone(String key, Duration timeout) {
        return Poll.until(() -> !exists(key), timeout, "etcd key " + key + " to be gone from " + endpoints);
    }

    /** {@code etcdctl lease timetolive}: granted and remaining TTL of a lease. */
    public LeaseTtl leaseTtl(long leaseId) {
        String json = run("lease", "timetolive", Long.toHexString(leaseId), "-w", "json");
        return new LeaseTtl(Long.parseLong(field(GRANTED_TTL, json, "0")), Long.parseLong(field(TTL, json, null)));
    }

    /** Puts a key with no lease, for test set-up. */
    public void put(String key, String value) {
        run("put", key, value);
    }

    public void delete(String key) {
        run("del", key);
    }

    /** Runs etcdctl with the given arguments and returns its stdout; fails the test when it fails. */
    public String run(String... arguments) {
        Result result = attempt(arguments);
        if (!result.ok()) {
            fail("etcdctl " + String.join(" ", arguments) + " against " + endpoints + " failed, " + result);
        }
        return result.out();
    }

    /**
     * Changes a user's password ({@code user passwd --interactive=false}, which reads it from stdin: it never
     * shows on a command line).
     */
    public void changePassword(String userName, String newPassword) {
        Result result = attemptWithInput(newPassword + "\n", "user", "passwd", userName, "--interactive=false");
        if (!result.ok()) {
            fail("etcdctl user passwd " + userName + " against " + endpoints + " failed, " + result);
        }
    }

    /** Runs etcdctl with the given arguments and returns how it went, failed or not. */
    public Result attempt(String... arguments) {
        return attemptWithInput(null, arguments);
    }

    private Result attemptWithInput(String stdin, String... arguments) {
        List<String> line = new ArrayList<>(List.of(Binaries.etcdctl().toString(), "--endpoints=" + endpoints,
                "--dial-timeout=" + dial.toMillis() + "ms", "--command-timeout=" + command.toMillis() + "ms"));
        if (caFile != null) {
            line.add("--cacert=" + caFile);
        }
        if (client != null) {
            line.add("--cert=" + client.cert());
            line.add("--key=" + client.key());
        }
        if (user != null) {
            line.add("--user=" + user);
        }
        line.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(line);
        builder.environment().keySet().removeIf(name -> name.startsWith("ETCDCTL"));
        builder.environment().put("ETCDCTL_API", "3");
        try {
            Process process = builder.start();
            try (java.io.OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process, true));
            byte[] stdout = readAll(process, false);
            long limit = dial.plus(command).toSeconds() + 10;
            if (!process.waitFor(limit, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, new String(stdout, StandardCharsets.UTF_8),
                        "did not finish within " + limit + " s");
            }
            return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
                    new String(stderr.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + line.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(Process process, boolean error) {
        try {
            return (error ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static byte[] base64(String text) {
        return Base64.getDecoder().decode(text);
    }

    @Override
    public String toString() {
        return "etcdctl --endpoints=" + endpoints;
    }

    /** What one etcdctl run printed and how it exited. */
    public static final class Result {
        private final int exitCode;
        private final String out;
        private final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        public boolean ok() {
            return exitCode == 0;
        }

        public int exitCode() {
            return exitCode;
        }

        public String out() {
            return out;
        }

        public String err() {
            return err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ": " + out.trim() + (err.isBlank() ? "" : " / " + err.trim());
        }
    }
}
