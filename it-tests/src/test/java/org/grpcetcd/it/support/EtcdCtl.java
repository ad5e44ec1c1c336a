package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and sets up etcd through the real {@code etcdctl} (API v3): independent of the agent's own etcd code, so
 * what the tests see is what any operator would see.
 */
public final class EtcdCtl {
    private static final Pattern KVS = Pattern.compile("\"kvs\":\\[(.*)\\]");
    private static final Pattern KV_OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("\"value\":\"([^\"]*)\"");
    private static final Pattern LEASE = Pattern.compile("\"lease\":(\\d+)");
    private static final Pattern TTL = Pattern.compile("\"ttl\":(-?\\d+)");
    private static final Pattern GRANTED_TTL = Pattern.compile("\"granted-ttl\":(-?\\d+)");

    private final String endpoint;
    private final Path executable;

    public EtcdCtl(String endpoint) {
        this.endpoint = endpoint;
        this.executable = Binaries.etcdctl();
    }

    public EtcdCtl(EtcdServer server) {
        this(server.endpoint());
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
    public EtcdEntry awaitEntry(String key, java.time.Duration timeout) {
        return Poll.untilPresent(() -> get(key), timeout, "etcd key " + key + " on " + endpoint);
    }

    /** Polls until a key under {@code prefix} ends with {@code :<port>}, and returns it. */
    public EtcdEntry awaitEntry(String prefix, java.time.Duration timeout, int port) {
        return Poll.untilPresent(() -> entries(prefix).values().stream()
                .filter(entry -> entry.key().endsWith(":" + port)).findFirst(), timeout,
                "a key under " + prefix + " ending with :" + port + " on " + endpoint);
    }

    /** Polls until {@code key} is gone; returns how long that took. */
    public java.time.Duration awaitGone(String key, java.time.Duration timeout) {
        return Poll.until(() -> !exists(key), timeout, "etcd key " + key + " to be gone from " + endpoint);
    }

    /** {@code etcdctl lease timetolive}: granted and remaining TTL of a lease. */
    public LeaseTtl leaseTtl(long leaseId) {
        String json = run("lease", "timetolive", Long.toHexString(leaseId), "-w", "json");
        return new LeaseTtl(Long.parseLong(field(GRANTED_TTL, json, null)), Long.parseLong(field(TTL, json, null)));
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
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.add("--endpoints=" + endpoint);
        command.add("--dial-timeout=2s");
        command.add("--command-timeout=4s");
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("ETCDCTL"));
        builder.environment().put("ETCDCTL_API", "3");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process, true));
            byte[] stdout = readAll(process, false);
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("etcdctl " + String.join(" ", arguments) + " did not finish within 15 s");
            }
            String out = new String(stdout, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                fail("etcdctl " + String.join(" ", arguments) + " against " + endpoint + " exited with "
                        + process.exitValue() + ": " + out + new String(stderr.get(), StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
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
}
