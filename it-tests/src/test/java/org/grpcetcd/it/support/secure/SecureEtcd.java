package org.grpcetcd.it.support.secure;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.grpcetcd.it.support.Binaries;
import org.grpcetcd.it.support.FreePorts;
import org.grpcetcd.it.support.Poll;

/**
 * A real single-member etcd serving its client URL over https only ({@code --cert-file/--key-file}), optionally
 * with {@code --client-cert-auth} and a short simple-token TTL. Its health is read on a separate plain-http
 * metrics URL, so the check needs no certificate. It can be stopped and started again on the same ports and data
 * (which drops every simple auth token).
 */
public final class SecureEtcd implements AutoCloseable {
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    private static final Pattern TOKEN_FIELD = Pattern.compile("\"token\":\"([^\"]+)\"");

    private final int clientPort;
    private final int peerPort;
    private final int metricsPort;
    private final Path dataDir;
    private final Path logFile;
    private final Pki.CertPair serverCert;
    private final Path clientCa;
    private final Integer authTokenTtlSeconds;
    private final long logStart;
    private boolean debugLog;
    private Process process;

    private SecureEtcd(Path logFile, Pki.CertPair serverCert, Path clientCa, Integer authTokenTtlSeconds) {
        int[] ports = FreePorts.next(3);
        this.clientPort = ports[0];
        this.peerPort = ports[1];
        this.metricsPort = ports[2];
        this.logFile = logFile;
        this.serverCert = serverCert;
        this.clientCa = clientCa;
        this.authTokenTtlSeconds = authTokenTtlSeconds;
        try {
            this.logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            this.dataDir = Files.createTempDirectory("it-secure-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** https with the server certificate given; no client certificate asked for. */
    public static SecureEtcd serverTls(Path logFile, Pki.CertPair serverCert) {
        return new SecureEtcd(logFile, serverCert, null, null);
    }

    /** https with {@code --client-cert-auth --trusted-ca-file clientCa}. */
    public static SecureEtcd clientCertAuth(Path logFile, Pki.CertPair serverCert, Path clientCa) {
        return new SecureEtcd(logFile, serverCert, clientCa, null);
    }

    /** Like {@link #clientCertAuth}, with {@code --auth-token simple --auth-token-ttl ttlSeconds}. */
    public static SecureEtcd clientCertAuthWithTokenTtl(Path logFile, Pki.CertPair serverCert, Path clientCa,
            int ttlSeconds) {
        return new SecureEtcd(logFile, serverCert, clientCa, ttlSeconds);
    }

    /**
     * Logs at debug level (zap): etcd then logs each token it hands out ("authenticated a user") and each simple
     * token it deletes, which {@link #issuedTokens()} and {@link #authentications(String)} read.
     */
    public synchronized SecureEtcd withDebugLog() {
        this.debugLog = true;
        return this;
    }

    /** Every auth token etcd has handed out so far (its debug log must be on). */
    public List<String> issuedTokens() {
        return logLines().stream().filter(line -> line.contains("\"msg\":\"authenticated a user\""))
                .map(line -> {
                    Matcher token = TOKEN_FIELD.matcher(line);
                    return token.find() ? token.group(1) : null;
                }).filter(java.util.Objects::nonNull).collect(Collectors.toList());
    }

    /** How many times {@code user} has authenticated so far (debug log on). */
    public long authentications(String user) {
        return logLines().stream().filter(line -> line.contains("\"msg\":\"authenticated a user\"")
                && line.contains("\"user-name\":\"" + user + "\"")).count();
    }

    /** How many requests etcd has refused because their token was unknown or expired (debug log on). */
    public long refusedTokens() {
        return logLines().stream().filter(line -> line.contains("\"msg\":\"invalid auth token\"")).count();
    }

    /** What this etcd logged (the file may hold earlier runs before it). */
    private List<String> logLines() {
        try {
            byte[] all = Files.readAllBytes(logFile);
            String mine = new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                    StandardCharsets.ISO_8859_1);
            return List.of(mine.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://127.0.0.1:<client port>}. */
    public String endpoint() {
        return endpoint("127.0.0.1");
    }

    /** {@code https://<host>:<client port>}, such as {@code localhost} (a loopback name). */
    public String endpoint(String host) {
        return "https://" + host + ":" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    /** Launches etcd; call {@link #awaitHealthy()} before using it (several can start side by side). */
    public synchronized SecureEtcd launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("etcd is already running on " + endpoint());
        }
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(Binaries.etcd().toString(),
                "--name", "s1",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "s1=" + peer,
                "--listen-metrics-urls", "http://127.0.0.1:" + metricsPort,
                "--cert-file", serverCert.cert().toString(),
                "--key-file", serverCert.key().toString()));
        if (clientCa != null) {
            command.addAll(List.of("--trusted-ca-file", clientCa.toString(), "--client-cert-auth"));
        }
        if (debugLog) {
            command.addAll(List.of("--logger", "zap", "--log-level", "debug"));
        }
        if (authTokenTtlSeconds != null) {
            command.addAll(List.of("--auth-token", "simple", "--auth-token-ttl", String.valueOf(authTokenTtlSeconds)));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("ETCD"));
        try {
            Files.createDirectories(logFile.getParent());
            Files.write(logFile, ("==== " + String.join(" ", command) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start etcd", e);
        }
        return this;
    }

    /** Returns once {@code /health} on the metrics URL says true; fails with etcd's log otherwise. */
    public SecureEtcd awaitHealthy() {
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (!healthy()) {
            Process current;
            synchronized (this) {
                current = process;
            }
            if (!current.isAlive()) {
                fail("etcd exited with code " + current.exitValue() + " before it was healthy on " + endpoint()
                        + "; its log " + logFile + " ends with:\n" + tail(40));
            }
            if (System.nanoTime() - deadline >= 0) {
                kill();
                fail("etcd was not healthy on " + endpoint() + " within " + HEALTHY_WITHIN.toSeconds()
                        + " s; its log " + logFile + " ends with:\n" + tail(40));
            }
            Poll.sleep(Duration.ofMillis(50));
        }
        return this;
    }

    /** {@link #launch()} then {@link #awaitHealthy()}. */
    public SecureEtcd start() {
        return launch().awaitHealthy();
    }

    /** Graceful stop (SIGTERM); returns once etcd has exited. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!waitForExit()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            if (Files.exists(dataDir)) {
                try (Stream<Path> paths = Files.walk(dataDir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private boolean waitForExit() {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + metricsPort
                    + "/health").openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            try (InputStream in = connection.getInputStream()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return connection.getResponseCode() == 200 && body.replace(" ", "").contains("\"health\":\"true\"");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "etcd " + endpoint();
    }
}
