package org.grpcetcd.it.support.faults;

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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.grpcetcd.it.support.Binaries;
import org.grpcetcd.it.support.Poll;

/**
 * One real etcd member on a loopback address (127.0.0.x) with its own client and peer ports and data directory:
 * it can be stopped (SIGTERM), killed (-9), have its data wiped, and be started again on the same ports. Unlike
 * {@link org.grpcetcd.it.support.EtcdServer} it can belong to a cluster of several members and lose its data.
 * Its output is appended to a log file.
 */
public final class EtcdMember {
    static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(30);

    private final String name;
    private final String host;
    private final int clientPort;
    private final int peerPort;
    private final Path dataDir;
    private final Path logFile;
    private final Path executable;
    private volatile String initialCluster;
    private volatile String clusterToken;
    private Process process;

    EtcdMember(String name, String host, int clientPort, int peerPort, Path dataDir, Path logFile) {
        this.name = name;
        this.host = host;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.executable = Binaries.etcd();
    }

    void joinCluster(String initialCluster, String clusterToken) {
        this.initialCluster = initialCluster;
        this.clusterToken = clusterToken;
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    /** {@code http://<host>:<client port>}. */
    public String endpoint() {
        return "http://" + host + ":" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    String peerUrl() {
        return "http://" + host + ":" + peerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the process without waiting for it to be healthy (the members of a new cluster start together). */
    public synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running");
        }
        ProcessBuilder builder = new ProcessBuilder(executable.toString(),
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peerUrl(),
                "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-token", clusterToken,
                "--initial-cluster-state", "new",
                "--heartbeat-interval", "100",
                "--election-timeout", "1000")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith("ETCD"));
        try {
            Files.createDirectories(logFile.getParent());
            Files.write(logFile, ("==== starting " + this + " (peer " + peerUrl() + ", data " + dataDir
                    + (hasData() ? "" : ", empty") + ")\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + executable, e);
        }
    }

    /** Starts the member and returns once its {@code /health} says true (it has a leader and quorum). */
    public void start() {
        launch();
        awaitHealthy(HEALTHY_WITHIN);
    }

    /** Polls {@code /health} every 20 ms until it says true. */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy()) {
            synchronized (this) {
                if (process == null || !process.isAlive()) {
                    fail(this + " exited" + (process == null ? "" : " with code " + process.exitValue())
                            + " before it was healthy; its log " + logFile + " ends with:\n" + tail(40));
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                fail(this + " was not healthy within " + timeout.toMillis() + " ms; its log " + logFile
                        + " ends with:\n" + tail(40));
            }
            Poll.sleep(Duration.ofMillis(20));
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

    /** Deletes the data directory of a stopped member: it starts again as a new, empty etcd on the same ports. */
    public synchronized void wipeData() {
        if (isRunning()) {
            throw new IllegalStateException("cannot wipe the data of " + this + " while it runs");
        }
        deleteRecursively(dataDir);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the data directory holds anything (a member started before). */
    public boolean hasData() {
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code GET /health} answers {@code "health":"true"}. */
    public boolean healthy() {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(endpoint() + "/health").openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(1500);
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

    /** A metric of the member's {@code /metrics} page without labels, such as {@code etcd_debugging_mvcc_watcher_total}. */
    public double metric(String name) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(endpoint() + "/metrics").openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            try (InputStream in = connection.getInputStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith(name + " ")) {
                        return Double.parseDouble(line.substring(name.length() + 1).trim());
                    }
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return fail("could not read " + endpoint() + "/metrics: " + e);
        }
        return fail(endpoint() + "/metrics has no metric " + name);
    }

    /** Stops the member (kill -9: its data goes anyway) and deletes its data directory. */
    synchronized void destroy() {
        try {
            kill();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private boolean waitForExit() {
        try {
            return process.waitFor(EXIT_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this + " to exit", e);
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    static void deleteRecursively(Path root) {
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
        return "etcd member " + name + " " + endpoint();
    }
}
