package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** What the surefire configuration hands the tests: the agent jar, the log directory, the JVM to launch apps with. */
public final class ItEnvironment {
    /** How long anything that waits on a JVM to start may take: CI machines are loaded. */
    public static final java.time.Duration JVM_START = java.time.Duration.ofSeconds(60);

    /** Testcontainers and what it brings, as paths of the local Maven repository name them. */
    private static final List<String> CONTAINER_LIBRARIES = List.of("/org/testcontainers/", "/org/slf4j/",
            "/com/github/docker-java/", "/net/java/dev/jna/", "/org/rnorth/", "/org/jetbrains/annotations/",
            "/org/apache/commons/commons-compress/", "/org/apache/commons/commons-lang3/", "/commons-io/",
            "/commons-codec/", "/com/fasterxml/jackson/core/jackson-annotations/");

    private ItEnvironment() {
    }

    /** The built agent jar; fails the test when it is missing (run {@code mvn install -DskipTests} first). */
    public static Path agentJar() {
        String configured = System.getProperty("agent.jar");
        if (configured == null || configured.isEmpty()) {
            fail("system property agent.jar is not set: run these tests through Maven (mvn -pl it-tests test)");
        }
        Path jar = Paths.get(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            fail("the agent jar " + jar + " does not exist: build it first with mvn -B install -DskipTests");
        }
        return jar;
    }

    /** The root directory for every log the tests write. */
    public static Path logsRoot() {
        String configured = System.getProperty("it.logs");
        Path root = configured == null || configured.isEmpty() ? Paths.get("target", "it-logs") : Paths.get(configured);
        return root.toAbsolutePath().normalize();
    }

    /**
     * This JVM's real class path (surefire runs with useManifestOnlyJar=false) without the container engine's
     * libraries: the apps run on it. Testcontainers' slf4j binding, for one, would change where grpc-netty-shaded
     * logs.
     */
    public static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> CONTAINER_LIBRARIES.stream().noneMatch(entry::contains))
                .collect(Collectors.joining(File.pathSeparator));
    }

    public static Path javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }
}
