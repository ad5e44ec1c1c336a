package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-member etcd on free loopback ports with its own temporary data directory. It can be stopped
 * (SIGTERM) or killed (-9) and started again on the same ports and data; its output is appended to a log file.
 */
public final class EtcdServer implements AutoCloseable {
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(30);

    private final int clientPort;
    private final int peerPort;
    private final Path dataDir;
    private final Path logFile;
    private final Path executable;
    private Process process;

    private EtcdServer(Path logFile) {
        this.executable = Binaries.etcd();
        int[] ports = FreePorts.next(2);
        this.clientPort = ports[0];
        this.peerPort = ports[1];
        this.logFile = logFile;
        try {
            this.dataDir = Files.createTempDirectory("it-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reserves ports and a data directory without starting etcd: {@link #endpoint()} refuses connections. */
    public static EtcdServer reserved(Path logFile) {
        return new EtcdServer(logFile);
    }

    /** Starts etcd and returns once it reports healthy. */
    public static EtcdServer started(Path logFile) {
        EtcdServer server = new EtcdServer(logFile);
        try {
            server.start();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code http://127.0.0.1:<client port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts etcd (again) on the same ports and data directory; returns once {@code /health} says true. */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException("etcd is already running on " + endpoint());
        }
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        ProcessBuilder builder = new ProcessBuilder(executable.toString(),
                "--name", "s1",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "s1=" + peer)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("ETCD"));
        try {
            Files.createDirectories(logFile.getParent());
            Files.write(logFile, ("==== starting etcd on " + client + " (peer " + peer + ", data " + dataDir
                    + ")\n").getBytes(StandardCharsets.UTF_8),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + executable, e);
        }
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (!healthy()) {
            if (!process.isAlive()) {
                fail("etcd exited with code " + process.exitValue() + " before it was healthy on " + client
                        + "; its log " + logFile + " ends with:\n" + tail(40));
            }
            if (System.nanoTime() - deadline >= 0) {
                kill();
                fail("etcd was not healthy on " + client + " within " + HEALTHY_WITHIN.toSeconds()
                        + " s; its log " + logFile + " ends with:\n" + tail(40));
            }
            Poll.sleep(Duration.ofMillis(50));
        }
    }

    /** Graceful stop (SIGTERM); returns once the process has exited. */
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

    /** kill -9; returns once the process has exited. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitForExit();
    }

    /** Stops etcd and deletes its data directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private boolean waitForExit() {
        try {
            return process.waitFor(EXIT_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for etcd to exit", e);
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(endpoint() + "/health").openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(1000);
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

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "etcd " + endpoint();
    }
}
