package org.grpcetcd.it.support.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Go interop peer {@code it-tests/src/test/go/src/echopeer} (a server on etcd's endpoints manager and a
 * client on etcd's resolver, grpc-go and etcd's clientv3 from Debian's packages), built with {@code go build} in
 * GOPATH mode, offline, into {@code it-tests/target/go-bin/echopeer}. A missing {@code go} fails the test.
 */
public final class GoPeer {
    /** Debian's golang-etcd-server-dev and golang-google-grpc-dev install their sources here. */
    private static final String SYSTEM_GOPATH = "/usr/share/gocode";
    private static final long BUILD_TIMEOUT_SECONDS = 300;

    private final Path binary;

    private GoPeer(Path binary) {
        this.binary = binary;
    }

    /** Builds the peer (go's cache makes a rebuild quick) and returns it. */
    public static GoPeer build(Path logFile) {
        Path itTests = CompatFiles.itTestsDir();
        Path goRoot = itTests.resolve("src/test/go");
        Path binary = itTests.resolve("target/go-bin/echopeer");
        String go = goExecutable();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GO111MODULE", "off");
        env.put("GOPATH", goRoot + File.pathSeparator + SYSTEM_GOPATH);
        env.put("GOPROXY", "off");
        env.put("GOFLAGS", "-mod=mod");
        env.put("GOCACHE", itTests.resolve("target/go-cache").toString());
        List<String> command = List.of(go, "build", "-o", binary.toString(), "echopeer");
        ProcessBuilder builder = new ProcessBuilder(command).directory(goRoot.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(env);
        long begin = System.nanoTime();
        try {
            Files.createDirectories(binary.getParent());
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("go build of echopeer did not finish within " + BUILD_TIMEOUT_SECONDS + " s; see " + logFile);
            }
            if (process.exitValue() != 0) {
                fail("go build of echopeer exited with " + process.exitValue() + " (env " + env + "): "
                        + new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8)
                        + "\nThe Go interop test needs Debian's golang-go, golang-etcd-server-dev and "
                        + "golang-google-grpc-dev (scripts/install-tools.sh --go installs them)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!Files.isExecutable(binary)) {
            fail("go build succeeded but " + binary + " is not there");
        }
        System.out.printf("GoPeer: go build of echopeer took %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return new GoPeer(binary);
    }

    /** {@code echopeer server <name> <etcd> <service>}: prints {@code READY <name> port=<p>}; SIGTERM stops it. */
    public PeerProcess server(String name, String etcdEndpoint, String service, Path logBase) {
        return PeerProcess.start("go-" + name, List.of(binary.toString(), "server", name, etcdEndpoint, service),
                Map.of(), logBase);
    }

    /** {@code echopeer client <etcd> <service> <calls>}: {@code REPLY <name>} or {@code ERROR ...} per call. */
    public PeerProcess client(String name, String etcdEndpoint, String service, int calls, Path logBase) {
        return PeerProcess.start("go-" + name,
                List.of(binary.toString(), "client", etcdEndpoint, service, String.valueOf(calls)), Map.of(), logBase);
    }

    private static String goExecutable() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Paths.get("/usr/bin/go"));
        candidates.add(Paths.get("/usr/lib/go/bin/go"));
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Paths.get(dir, "go"));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("the go executable was not found (looked at " + candidates + "). The Go interop test builds "
                + "its peer with it: install Debian's golang-go, golang-etcd-server-dev and golang-google-grpc-dev "
                + "(scripts/install-tools.sh --go does)");
    }
}
