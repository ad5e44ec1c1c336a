package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.AgentLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under which names a server is registered and what its value holds: without {@code grpc.etcd.service} the
 * gRPC service names it exposes (gRPC's own {@code grpc.*} left out), with it that name only; metadata settings
 * become the value's {@code Metadata} object, none leaves it {@code null}.
 *
 * <p>The class has its own etcd, in which only its tests register {@code echo.Echo}; every assertion is about
 * the keys of the test's own ports, so a key a previous test left to expire changes nothing.
 */
class CompatNamesTest {
    private static final String ECHO = "echo.Echo";
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);
    private static final Duration SETTLED = Duration.ofMillis(1000);
    private static final String HEALTH_SERVER_MAIN = "org.grpcetcd.it.apps.HealthEchoServer";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void withoutAServiceSettingTheServerIsRegisteredUnderItsGrpcServiceAndDialedByThatName() {
        AppProcess server = fixture.apps().server("N").start();
        // no setting at all on the client either: the target names the gRPC service
        AppProcess client = fixture.apps().client("client", "etcd:///" + ECHO, "20", String.valueOf(Long.MAX_VALUE),
                "60000").start();
        int port = EchoOutput.awaitReady(server);
        String key = ECHO + "/127.0.0.1:" + port;
        EtcdEntry entry = fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        assertThat(entry.value()).isEqualTo("{\"Op\":0,\"Addr\":\"127.0.0.1:" + port + "\",\"Metadata\":null}");
        Poll.sleep(SETTLED);
        assertThat(keysOfPort(port)).as("every key in etcd naming port %d", port).containsExactly(key);

        Poll.until(() -> EchoOutput.replies(client).contains("N"), ItEnvironment.JVM_START, Duration.ofMillis(20),
                () -> "the client on etcd:///" + ECHO + " reaching N; its output: " + client.lines());
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        assertThat(server.errLines()).as("the agent's start-up line: no service set")
                .anyMatch(line -> line.contains(" active: ") && line.contains("service=(each gRPC service)"));
        assertClean(server, client);
        System.out.printf("CompatNamesTest: no service setting: %s=%s; client on etcd:///%s replied %s%n", key,
                entry.value(), ECHO, EchoOutput.replies(client).stream().limit(3).collect(Collectors.toList()));
    }

    @Test
    void grpcHealthServiceOfAServerIsNotRegistered() {
        AppProcess server = fixture.apps().app("H", HEALTH_SERVER_MAIN).args("H").start();
        server.awaitLine(java.util.regex.Pattern.compile("^HEALTH SERVING$"), ItEnvironment.JVM_START);
        int port = EchoOutput.awaitReady(server);
        String key = ECHO + "/127.0.0.1:" + port;
        fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        Poll.sleep(SETTLED);
        assertThat(keysOfPort(port)).as("every key in etcd naming port %d of a server exposing echo.Echo and "
                + "grpc.health.v1.Health", port).containsExactly(key);
        assertThat(fixture.etcdctl().entries("grpc.").keySet())
                .as("keys under grpc.* (grpc.health.v1.Health/ included)").isEmpty();
        assertClean(server);
        System.out.printf("CompatNamesTest: server exposing echo.Echo and grpc.health.v1.Health (it answered "
                + "SERVING): only %s%n", key);
    }

    @Test
    void withAServiceSettingTheServerIsRegisteredUnderThatNameOnly() {
        String service = UniqueNames.service("named");
        AppProcess server = fixture.apps().app("H", HEALTH_SERVER_MAIN).args("H").service(service).start();
        int port = EchoOutput.awaitReady(server);
        String key = service + "/127.0.0.1:" + port;
        fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        Poll.sleep(SETTLED);
        assertThat(keysOfPort(port)).as("every key in etcd naming port %d, grpc.etcd.service=%s", port, service)
                .containsExactly(key);
        assertClean(server);
        System.out.printf("CompatNamesTest: grpc.etcd.service=%s: only %s%n", service, key);
    }

    @Test
    void metadataSettingsFillTheMetadataObjectAndNoneLeavesItNull() {
        String service = UniqueNames.service("meta");
        AppProcess tagged = fixture.apps().server("Z").service(service).setting("metadata.zone", "eu-1")
                .setting("metadata.version", "2").start();
        AppProcess plain = fixture.apps().server("P").service(service).start();
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "20", String.valueOf(Long.MAX_VALUE),
                "60000").start();
        int taggedPort = EchoOutput.awaitReady(tagged);
        int plainPort = EchoOutput.awaitReady(plain);

        EtcdEntry withMetadata = fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + taggedPort, REGISTERED_WITHIN);
        EtcdEntry without = fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + plainPort, REGISTERED_WITHIN);
        assertThat(withMetadata.valueBytes()).as("value written with metadata.zone=eu-1 and metadata.version=2: %s",
                withMetadata.value()).isEqualTo(("{\"Op\":0,\"Addr\":\"127.0.0.1:" + taggedPort
                        + "\",\"Metadata\":{\"version\":\"2\",\"zone\":\"eu-1\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(without.valueBytes()).as("value written without metadata: %s", without.value()).isEqualTo(
                ("{\"Op\":0,\"Addr\":\"127.0.0.1:" + plainPort + "\",\"Metadata\":null}")
                        .getBytes(StandardCharsets.UTF_8));

        Poll.until(() -> EchoOutput.replies(client).containsAll(List.of("Z", "P")), ItEnvironment.JVM_START,
                Duration.ofMillis(20), () -> "the client reaching the servers with and without metadata; its "
                        + "output: " + client.lines());
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        assertClean(tagged, plain, client);
        System.out.printf("CompatNamesTest: with metadata %s; without %s; the client reached both%n",
                withMetadata.value(), without.value());
    }

    /** Every key in etcd that ends with {@code :<port>}, whatever its prefix. */
    private static List<String> keysOfPort(int port) {
        Map<String, EtcdEntry> all = fixture.etcdctl().entries("");
        return all.keySet().stream().filter(key -> key.endsWith(":" + port)).sorted().collect(Collectors.toList());
    }

    private static void assertClean(AppProcess... processes) {
        for (AppProcess process : processes) {
            assertThat(AgentLines.warningsAndErrors(process.errLines())).as("the agent's WARN/ERROR lines in %s",
                    process.name()).isEmpty();
        }
    }
}
