package org.grpcetcd.it.support.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grpcetcd.it.support.ItEnvironment;

/**
 * Where the build leaves what the compatibility tests run: the it-apps jar, each gRPC runtime's class path
 * (it-runtimes), the packaged launchers (it-launchers). Everything is found from the project root, the
 * directory three levels above the agent jar ({@code <root>/agent/target/grpc-etcd-agent.jar}). A missing file
 * fails the test, naming the build command that makes it.
 */
public final class CompatFiles {

    private CompatFiles() {
    }

    public static Path projectRoot() {
        return ItEnvironment.agentJar().getParent().getParent().getParent();
    }

    /** The it-apps jar: the test apps, compiled against gRPC 1.26.0, with no gRPC inside. */
    public static Path appsJar() {
        return existing(projectRoot().resolve("it-apps/target/grpc-etcd-agent-it-apps-0.1.0-SNAPSHOT.jar"));
    }

    /**
     * The class path of one runtime module: {@code it-runtimes/<runtime>} ({@code grpc-1.26.0-netty-shaded}, ...:
     * gRPC and grpc-stub only) or, for {@code grpc-1.85.1-inprocess}, {@code it-launchers/<runtime>}.
     */
    public static String runtimeClassPath(String runtime) {
        Path inRuntimes = projectRoot().resolve("it-runtimes").resolve(runtime).resolve("target/classpath.txt");
        Path inLaunchers = projectRoot().resolve("it-launchers").resolve(runtime).resolve("target/classpath.txt");
        Path file = existing(Files.exists(inRuntimes) || !Files.exists(inLaunchers) ? inRuntimes : inLaunchers);
        try {
            String classPath = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            if (classPath.isEmpty()) {
                fail(file + " is empty; " + build());
            }
            return classPath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The it-apps jar followed by a runtime's gRPC: an app of the matrix runs on exactly this. */
    public static String appClassPath(String runtime) {
        return appsJar() + java.io.File.pathSeparator + runtimeClassPath(runtime);
    }

    /** The shaded uber-jar of it-launchers/uberjar. */
    public static Path uberJar() {
        return existing(projectRoot().resolve("it-launchers/uberjar/target/echo-uber.jar"));
    }

    /** The Spring Boot executable jar of it-launchers/springboot. */
    public static Path springBootJar() {
        return existing(projectRoot().resolve("it-launchers/springboot/target/echo-boot.jar"));
    }

    /** The Spring Boot 4 + spring-grpc executable jar of it-launchers/springgrpc. */
    public static Path springGrpcJar() {
        return existing(projectRoot().resolve("it-launchers/springgrpc/target/echo-spring-grpc.jar"));
    }

    /** The it-tests module directory. */
    public static Path itTestsDir() {
        return projectRoot().resolve("it-tests");
    }

    private static String build() {
        return "build it first: cd " + projectRoot() + " && mvn -B install -DskipTests";
    }

    static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            fail(file + " does not exist; " + build());
        }
        return file;
    }
}
