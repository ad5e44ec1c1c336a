package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.command.InspectContainerResponse;
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
import java.util.List;
import java.util.Optional;
import org.grpcetcd.it.support.containers.EtcdContainers;
import org.grpcetcd.it.support.secure.Pki;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.MountableFile;

/**
 * One real etcd member in its own container on the host's network, on a loopback address (127.0.0.x) and free
 * ports picked here: alone, or one of an {@link EtcdCluster}; plain http, or https with optional
 * {@code --client-cert-auth}. Faults act on the container as an orchestrator would: {@link #stop()} (SIGTERM),
 * {@link #kill()} (SIGKILL), {@link #wipeData()} (the container is replaced: a new, empty etcd on the same ports),
 * {@link #pause()} (frozen, its TCP connections stay open). Health and metrics are read on a separate plain-http
 * metrics URL, so no check needs a certificate. etcd logs (zap) straight into the log file given.
 */
public final class EtcdServer implements AutoCloseable {
    public static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    private static final String DATA_DIR = "/tmp/etcd-data"; // inside the container: it goes with it

    private final String name;
    private final String host;
    private final int clientPort;
    private final int peerPort;
    private final int metricsPort;
    private final Path logFile;
    private final Pki.CertPair serverCert;
    private final Path clientCa;
    private final Integer authTokenTtlSeconds;
    private final long logStart;
    private boolean debugLog;
    private String initialCluster;
    private String clusterToken;
    private GenericContainer<?> container;

    EtcdServer(String name, String host, Path logFile, Pki.CertPair serverCert, Path clientCa,
            Integer authTokenTtlSeconds) {
        this.name = name;
        this.host = host;
        int[] ports = FreePorts.next(host, 3);
        this.clientPort = ports[0];
        this.peerPort = ports[1];
        this.metricsPort = ports[2];
        this.logFile = logFile;
        this.serverCert = serverCert;
        this.clientCa = clientCa;
        this.authTokenTtlSeconds = authTokenTtlSeconds;
        try {
            this.logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.initialCluster = name + "=" + peerUrl();
        this.clusterToken = UniqueNames.service("it-etcd");
    }

    /** Reserves ports without starting etcd: {@link #endpoint()} refuses connections until {@link #start()}. */
    public static EtcdServer reserved(Path logFile) {
        return new EtcdServer("s1", "127.0.0.1", logFile, null, null, null);
    }

    /** A plain-http etcd on 127.0.0.1, started and healthy. */
    public static EtcdServer started(Path logFile) {
        EtcdServer server = reserved(logFile);
        try {
            server.start();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** https with the server certificate given; no client certificate asked for. Not launched yet. */
    public static EtcdServer serverTls(Path logFile, Pki.CertPair serverCert) {
        return new EtcdServer("s1", "127.0.0.1", logFile, serverCert, null, null);
    }

    /** https with {@code --client-cert-auth --trusted-ca-file clientCa}. Not launched yet. */
    public static EtcdServer clientCertAuth(Path logFile, Pki.CertPair serverCert, Path clientCa) {
        return new EtcdServer("s1", "127.0.0.1", logFile, serverCert, clientCa, null);
    }

    /** Like {@link #clientCertAuth}, with {@code --auth-token simple --auth-token-ttl ttlSeconds}. */
    public static EtcdServer clientCertAuthWithTokenTtl(Path logFile, Pki.CertPair serverCert, Path clientCa,
            int ttlSeconds) {
        return new EtcdServer("s1", "127.0.0.1", logFile, serverCert, clientCa, ttlSeconds);
    }

    /** Logs at debug level (zap): etcd then logs each auth token it hands out and refuses. */
    public synchronized EtcdServer withDebugLog() {
        this.debugLog = true;
        return this;
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

    /** {@code http://<host>:<client port>} ({@code https} with TLS). */
    public String endpoint() {
        return endpoint(host);
    }

    /** The client URL with another host name, such as {@code localhost}. */
    public String endpoint(String hostName) {
        return (serverCert == null ? "http://" : "https://") + hostName + ":" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    String peerUrl() {
        return "http://" + host + ":" + peerPort;
    }

    /**
     * Starts etcd without waiting for it to be healthy (members of a new cluster start together): a new container
     * the first time and after {@link #wipeData()}, otherwise the stopped one again, on its data.
     */
    public synchronized EtcdServer launch() {
        if (container == null) {
            List<Path> files = new ArrayList<>();
            if (serverCert != null) {
                files.addAll(List.of(serverCert.cert(), serverCert.key()));
            }
            if (clientCa != null) {
                files.add(clientCa);
            }
            appendToLog("==== starting " + this + " in a new container\n");
            container = EtcdContainers.start(arguments(), files, logFile.getParent());
        } else if (isRunning()) {
            throw new IllegalStateException(this + " is already running");
        } else {
            appendToLog("==== starting " + this + " again\n");
            EtcdContainers.docker().startContainerCmd(container.getContainerId()).exec();
        }
        return this;
    }

    private List<String> arguments() {
        List<String> arguments = new ArrayList<>(List.of(
                "--name", name,
                "--data-dir", DATA_DIR,
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peerUrl(),
                "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-token", clusterToken,
                "--initial-cluster-state", "new",
                "--listen-metrics-urls", "http://" + host + ":" + metricsPort,
                "--heartbeat-interval", "100",
                "--election-timeout", "1000",
                "--logger", "zap",
                "--log-outputs", logFile.toString()));
        if (serverCert != null) {
            arguments.addAll(List.of("--cert-file", serverCert.cert().toString(),
                    "--key-file", serverCert.key().toString()));
        }
        if (clientCa != null) {
            arguments.addAll(List.of("--trusted-ca-file", clientCa.toString(), "--client-cert-auth"));
        }
        if (debugLog) {
            arguments.addAll(List.of("--log-level", "debug"));
        }
        if (authTokenTtlSeconds != null) {
            arguments.addAll(List.of("--auth-token", "simple", "--auth-token-ttl",
                    String.valueOf(authTokenTtlSeconds)));
        }
        return arguments;
    }

    /**
     * Gives a stopped https etcd another server certificate, as a renewed Secret would: the new certificate and key
     * replace the old ones at the same paths inside its container, and the next {@link #start()} serves them.
     */
    public synchronized void replaceServerCertificate(Pki.CertPair newCert) {
        if (serverCert == null || container == null || isRunning()) {
            throw new IllegalStateException(this + " must be an https etcd, launched once and stopped now");
        }
        appendToLog("==== " + this + " gets the server certificate " + newCert.cert() + "\n");
        container.copyFileToContainer(MountableFile.forHostPath(newCert.cert()), serverCert.cert().toString());
        container.copyFileToContainer(MountableFile.forHostPath(newCert.key()), serverCert.key().toString());
    }

    /** {@link #launch()}, then returns once {@code /health} says true (it has a leader and quorum). */
    public EtcdServer start() {
        launch();
        return awaitHealthy();
    }

    public EtcdServer awaitHealthy() {
        return awaitHealthy(HEALTHY_WITHIN);
    }

    /** Polls {@code /health} every 20 ms until it says true; fails with etcd's output when it exits or times out. */
    public EtcdServer awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy()) {
            Optional<InspectContainerResponse.ContainerState> state = state();
            if (state.isEmpty() || !Boolean.TRUE.equals(state.get().getRunning())) {
                fail(this + " exited" + state.map(s -> " with code " + s.getExitCodeLong()).orElse("")
                        + " before it was healthy; its output ends with:\n" + tail(40));
            }
            if (System.nanoTime() - deadline >= 0) {
                fail(this + " was not healthy within " + timeout.toMillis() + " ms; its output ends with:\n"
                        + tail(40));
            }
            Poll.sleep(Duration.ofMillis(20));
        }
        return this;
    }

    /** Whether etcd runs and is not paused: it would answer. */
    public boolean isRunning() {
        return state().map(s -> Boolean.TRUE.equals(s.getRunning()) && !Boolean.TRUE.equals(s.getPaused()))
                .orElse(false);
    }

    /** Graceful stop (SIGTERM, as docker stop sends it); returns once etcd has exited. */
    public synchronized void stop() {
        if (container != null && isRunning()) {
            EtcdContainers.docker().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
        }
    }

    /** SIGKILL (docker kill); returns once etcd has exited. */
    public synchronized void kill() {
        if (container == null || !isRunning()) {
            return;
        }
        EtcdContainers.docker().killContainerCmd(container.getContainerId()).exec();
        Poll.until(() -> state().map(s -> !Boolean.TRUE.equals(s.getRunning())).orElse(true),
                Duration.ofSeconds(30), this + " to exit after SIGKILL");
    }

    /**
     * Freezes etcd (docker pause: its processes are stopped by the cgroup freezer). Its TCP connections stay open
     * and take bytes, which nobody answers: a hung member, which a plain connection cannot tell from a slow one.
     */
    public synchronized void pause() {
        EtcdContainers.docker().pauseContainerCmd(requireContainer()).exec();
    }

    public synchronized void unpause() {
        EtcdContainers.docker().unpauseContainerCmd(requireContainer()).exec();
    }

    public boolean isPaused() {
        return state().map(s -> Boolean.TRUE.equals(s.getPaused())).orElse(false);
    }

    /**
     * Drops the data of a stopped member: its container is removed, and the next {@link #start()} runs a new,
     * empty etcd on the same ports.
     */
    public synchronized void wipeData() {
        if (isRunning()) {
            throw new IllegalStateException("cannot wipe the data of " + this + " while it runs");
        }
        removeContainer();
    }

    /** Whether etcd has data: a container exists, whose data directory etcd has written. */
    public synchronized boolean hasData() {
        return container != null;
    }

    /** {@code GET /health} answers {@code "health":"true"}. */
    public boolean healthy() {
        try {
            return httpGet("/health", 1500).replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        }
    }

    /** A metric of {@code /metrics} without labels, such as {@code etcd_debugging_mvcc_watcher_total}. */
    public double metric(String metric) {
        String page;
        try {
            page = httpGet("/metrics", 5000);
        } catch (IOException e) {
            return fail("could not read the metrics of " + this + ": " + e);
        }
        for (String line : page.split("\n")) {
            if (line.startsWith(metric + " ")) {
                return Double.parseDouble(line.substring(metric.length() + 1).trim());
            }
        }
        return fail(this + " has no metric " + metric);
    }

    /** Every line etcd has logged so far (the log file may hold earlier etcds' lines before them). */
    public List<String> output() {
        try {
            byte[] all = Files.readAllBytes(logFile);
            int from = (int) Math.min(logStart, all.length);
            return List.of(new String(all, from, all.length - from, StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Removes the container (its output goes to the log file first). */
    @Override
    public synchronized void close() {
        removeContainer();
    }

    private void removeContainer() {
        if (container == null) {
            return;
        }
        try {
            String printed = container.getLogs(); // what etcd printed before its log was set up, if anything
            appendToLog("==== removing the container of " + this + (printed.isBlank() ? "" : "; it printed:\n"
                    + printed) + "\n");
        } finally {
            EtcdContainers.remove(container.getContainerId());
            container = null;
        }
    }

    private void appendToLog(String text) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.write(logFile, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not write " + logFile + ": " + e);
        }
    }

    private synchronized Optional<InspectContainerResponse.ContainerState> state() {
        return container == null ? Optional.empty() : EtcdContainers.state(container.getContainerId());
    }

    private String requireContainer() {
        if (container == null) {
            throw new IllegalStateException(this + " has no container: start it first");
        }
        return container.getContainerId();
    }

    private String tail(int lines) {
        List<String> all = output();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private String httpGet(String path, int readTimeoutMillis) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://" + host + ":" + metricsPort + path)
                .openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(readTimeoutMillis);
        try (InputStream in = connection.getInputStream()) {
            if (connection.getResponseCode() != 200) {
                throw new IOException(path + " answered " + connection.getResponseCode());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    @Override
    public String toString() {
        return "etcd " + name + " " + endpoint();
    }
}
