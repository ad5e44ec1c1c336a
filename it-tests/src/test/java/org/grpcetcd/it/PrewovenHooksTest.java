package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.Jdks;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * For a gRPC release the agent was built with, the hooks come woven from the jar: a server registers and a client
 * resolves {@code etcd:///} and is answered, and neither JVM loads one ByteBuddy class (its cold start is what the
 * build's weave saves the app). The JVM's own class-loading log is the witness.
 */
class PrewovenHooksTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(30);
    private static final String BYTEBUDDY = "org.grpcetcd.agent.shaded.bytebuddy.";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdks.class)
    void aServerAndAClientOfAKnownGrpcWorkWithoutLoadingByteBuddy(Jdks jdk) throws IOException {
        String service = UniqueNames.service("prewoven");
        Path logs = Files.createTempDirectory("prewoven-class-loads");
        Path serverLoads = logs.resolve("server.log");
        Path clientLoads = logs.resolve("client.log");
        AppProcess server = fixture.apps().server("S").service(service).javaExecutable(jdk.java())
                .jvmOption("-Xlog:class+load=info:file=" + serverLoads).start();
        int port = EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + port, REGISTERED_WITHIN);
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "50", "3", "30000")
                .javaExecutable(jdk.java()).jvmOption("-Xlog:class+load=info:file=" + clientLoads).start();
        assertThat(client.awaitExit(ItEnvironment.JVM_START)).as("exit code of the client; stderr %s",
                client.errLines()).isZero();
        assertThat(EchoOutput.replies(client)).as("replies of the client").hasSize(3);
        server.send("stop");
        assertThat(server.awaitExit(ItEnvironment.JVM_START)).as("exit code of the server").isZero();
        fixture.etcdctl().awaitGone(service + "/127.0.0.1:" + port, REGISTERED_WITHIN); // the shutdown hook's work

        for (Path loads : List.of(serverLoads, clientLoads)) {
            List<String> lines = Files.readAllLines(loads);
            assertThat(lines).as("classes the JVM loaded (%s)", loads.getFileName())
                    .anyMatch(line -> line.contains("io.grpc.internal.ServerImpl ")
                            || line.contains("io.grpc.NameResolverRegistry "))
                    .noneMatch(line -> line.contains(BYTEBUDDY));
        }
    }
}
