package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.AgentLines;
import org.grpcetcd.it.support.compat.CompatFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Spring Boot 4 + spring-grpc app (unshaded grpc-netty, server and channels made by spring-grpc) started with
 * {@code java -javaagent:... -jar}: its server registers under its gRPC service names or under
 * {@code grpc.etcd.service}; a spring-grpc client whose channel address (a Spring property) is {@code etcd:///...}
 * calls it; SIGTERM takes it out of etcd while it still serves.
 */
class CompatSpringGrpcTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(20);

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void aServerRegistersUnderItsServiceNamesAndASpringGrpcClientCallsItOverEtcd() {
        AppProcess server = server("S").start();
        String key = "echo.Echo/127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        assertThat(fixture.etcdctl().entries("grpc.")).as("keys of gRPC's own services (health, reflection)")
                .isEmpty();

        AppProcess client = client("etcd:///echo.Echo").start();
        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        System.out.printf("CompatSpringGrpcTest: %s registered; the spring-grpc client on etcd:///echo.Echo got %s%n",
                key, replies);
        assertThat(replies).containsOnly("S");
        assertThat(AgentLines.warningsAndErrors(server.errLines())).as("the agent's WARN/ERROR lines, server")
                .isEmpty();
        assertThat(AgentLines.warningsAndErrors(client.errLines())).as("the agent's WARN/ERROR lines, client")
                .isEmpty();
    }

    @Test
    void aServerRegistersUnderTheConfiguredServiceAndSigtermTakesItOutBeforeItStops() throws Exception {
        String service = UniqueNames.service("springgrpc");
        AppProcess server = server("T").service(service).drainMs(3000).start();
        int port = EchoOutput.awaitReady(server);
        String key = service + "/127.0.0.1:" + port;
        fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        AppProcess client = client("etcd:///" + service).start();
        assertThat(EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START)).containsOnly("T");

        ProcessHandle.of(server.pid()).orElseThrow().destroy(); // SIGTERM: Spring closes its context
        long sent = System.nanoTime();
        Poll.until(() -> !fixture.etcdctl().exists(key), Duration.ofSeconds(5),
                () -> key + " gone from etcd within 5 s of SIGTERM; stderr: " + server.errLines());
        long goneMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        boolean servingAfterGone = accepts(port);
        int exit = server.awaitExit(Duration.ofSeconds(30));
        System.out.printf("CompatSpringGrpcTest: %s gone %d ms after SIGTERM, port still accepting then: %s, exit "
                + "code %d after %d ms%n", key, goneMs, servingAfterGone, exit,
                Duration.ofNanos(System.nanoTime() - sent).toMillis());
        assertThat(servingAfterGone).as("the server still accepts connections once %s left etcd (drain 3 s)", key)
                .isTrue();
        assertThat(fixture.etcdctl().entries(service + "/")).as("keys under %s/ after exit", service).isEmpty();
        assertThat(AgentLines.warningsAndErrors(server.errLines())).as("the agent's WARN/ERROR lines, server")
                .isEmpty();
    }

    private static AppSpec server(String name) {
        return fixture.apps().app("server-" + name, "-").executableJar(CompatFiles.springGrpcJar().toString())
                .args("--echo.name=" + name, "--spring.grpc.server.host=127.0.0.1", "--spring.grpc.server.port=0");
    }

    private static AppSpec client(String target) {
        return fixture.apps().app("client", "-").executableJar(CompatFiles.springGrpcJar().toString())
                .args("--echo.calls=5", "--spring.grpc.client.channels.echo.address=" + target,
                        "--spring.grpc.server.enabled=false", "--spring.grpc.server.port=0");
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
