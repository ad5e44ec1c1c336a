package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.CompatFiles;
import org.grpcetcd.it.support.compat.Jdks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the agent carries (jetcd, its gRPC, Netty, Vert.x, protobuf) lives in the agent's own class loader, read
 * from inside the jar: the app's output holds no line of theirs, no file is left behind, the agent hooks the app's
 * gRPC only (never its own copy), and an app with a jetcd of its own keeps using it. ByteBuddy, which it carries
 * too, is not even loaded for a gRPC release the agent was built with: the hooks come woven from the jar (the
 * JVM's class-loading log is the witness; its cold start is what the build's weave saves the app).
 */
class AgentLibrariesIsolationTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(30);
    /**
     * What a line of the carried libraries would hold: their relocated names (gRPC's java.util.logging records, a
     * JDK warning naming its caller), the agent jar, Vert.x or jetcd; and SLF4J's "no providers" (these apps carry
     * no SLF4J of their own).
     */
    private static final Pattern CARRIED_LIBRARY_WORDS = Pattern.compile(
            "SLF4J|org\\.grpcetcd|grpc-etcd-agent\\.jar|vertx|jetcd", Pattern.CASE_INSENSITIVE);
    /** The same, for an app that carries SLF4J (and jetcd) of its own, whose lines are its business. */
    private static final Pattern AGENT_WORDS = Pattern.compile("org\\.grpcetcd|grpc-etcd-agent\\.jar");
    private static final String BYTEBUDDY = "org.grpcetcd.agent.shaded.bytebuddy.";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdks.class)
    void aServerAndAClientPrintNothingButTheirOwnAndTheAgentsLinesLeaveNoFileBehindAndNeverLoadByteBuddy(Jdks jdk)
            throws IOException {
        String service = UniqueNames.service("isolated");
        Path tmp = Files.createTempDirectory("isolation-tmp");
        Path classLoads = Files.createTempDirectory("isolation-class-loads");
        Path serverLoads = classLoads.resolve("server.log");
        Path clientLoads = classLoads.resolve("client.log");
        AppProcess server = fixture.apps().server("S").service(service).javaExecutable(jdk.java())
                .jvmOption("-Djava.io.tmpdir=" + tmp).jvmOption("-Xlog:class+load=info:file=" + serverLoads).start();
        int port = EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + port, REGISTERED_WITHIN);
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "50", "5", "30000").javaExecutable(jdk.java())
                .jvmOption("-Djava.io.tmpdir=" + tmp).jvmOption("-Xlog:class+load=info:file=" + clientLoads)
                .setting("log-level", "debug").start();
        assertThat(client.awaitExit(ItEnvironment.JVM_START)).as("exit code of the client; stderr %s",
                client.errLines()).isZero();
        assertThat(EchoOutput.replies(client)).as("replies of the client").hasSize(5);
        server.send("stop");
        assertThat(server.awaitExit(ItEnvironment.JVM_START)).as("exit code of the server").isZero();
        // the woven shutdown hook's work
        fixture.etcdctl().awaitGone(service + "/127.0.0.1:" + port, REGISTERED_WITHIN);

        for (Path loads : List.of(serverLoads, clientLoads)) {
            assertThat(Files.readAllLines(loads)).as("classes the JVM loaded (%s)", loads.getFileName())
                    .anyMatch(line -> line.contains("io.grpc.internal.ServerImpl ")
                            || line.contains("io.grpc.NameResolverRegistry "))
                    .noneMatch(line -> line.contains(BYTEBUDDY));
            Files.delete(loads);
        }
        Files.delete(classLoads);

        for (AppProcess app : List.of(server, client)) {
            List<String> output = new ArrayList<>(app.lines());
            output.addAll(app.errLines());
            assertThat(output).as("lines of %s on %s that are not the agent's", app.name(), jdk)
                    .filteredOn(line -> !line.startsWith("[grpc-etcd-agent]"))
                    .noneMatch(line -> CARRIED_LIBRARY_WORDS.matcher(line).find());
        }
        // the agent hooked the one gRPC registry of the app; the registry of its own gRPC copy is never touched
        assertThat(client.errLines()).as("the client's agent lines adding the etcd resolver to a gRPC registry")
                .filteredOn(line -> line.contains("added to the gRPC registry of")).singleElement().asString()
                .contains("AppClassLoader");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(Path::toString).collect(Collectors.toList()))
                    .as("files the two JVMs left in their java.io.tmpdir").isEmpty();
        }
        Files.delete(tmp);
    }

    @Test
    void anAppWithItsOwnJetcdOfAnotherVersionKeepsUsingItBesideTheAgents() {
        String service = UniqueNames.service("ownjetcd");
        String ownKey = "own-jetcd/" + service;
        AppSpec app = fixture.apps().app("OWN", "org.grpcetcd.it.apps.OwnJetcdApp")
                .classPath(CompatFiles.appClassPath("jetcd-0.8.6")).service(service)
                .args("OWN", fixture.etcd().endpoint(), ownKey);
        AppProcess process = app.start();
        int port = EchoOutput.awaitReady(process);
        String own = process.awaitLine(Pattern.compile("^OWN-JETCD "), ItEnvironment.JVM_START);
        assertThat(own).as("what the app's own jetcd read back").isEqualTo("OWN-JETCD OWN via AppClassLoader");
        fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + port, REGISTERED_WITHIN);
        assertThat(fixture.etcdctl().get(ownKey)).as("the key the app put with its own jetcd").isPresent();
        assertThat(process.errLines()).as("stderr of the app").filteredOn(line -> !line.startsWith("[grpc-etcd-agent]"))
                .noneMatch(line -> AGENT_WORDS.matcher(line).find());
        fixture.etcdctl().delete(ownKey);
    }
}
