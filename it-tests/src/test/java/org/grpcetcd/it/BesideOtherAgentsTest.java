package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent beside others that rewrite classes with their own ByteBuddy: the OpenTelemetry Java agent (its gRPC
 * instrumentation on, spans printed by its logging exporter), before or after ours on the command line, and an
 * app that mocks with Mockito's inline mock maker (its own agent, attached at run time, retransforming the very
 * class our hooks are in).
 */
class BesideOtherAgentsTest {
    /** A line of OTel's logging exporter for a span of the echo call, e.g. {@code 'echo.Echo/Say' : <trace> <span> SERVER [tracer: io.opentelemetry.grpc-1.6:...]}. */
    private static final String SPAN = "'echo.Echo/Say' : [0-9a-f]{32} [0-9a-f]{16} %s \\[tracer: io\\.opentelemetry\\.grpc";

    /** Two agents that rewrite classes, on a loaded 2-core machine: the first call may wait for both to settle. */
    private static final String FIRST_CALL_DEADLINE_MS = "30000";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    enum Order {
        OPENTELEMETRY_FIRST, OURS_FIRST
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void withTheOpenTelemetryAgentServersRegisterChannelsResolveAndSpansAreRecorded(Order order) {
        String service = UniqueNames.service("otel");
        String name = "S-" + order; // the server's name, its replies and its log files
        AppProcess server = withOpenTelemetry(fixture.apps().server(name), order).service(service).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, ItEnvironment.JVM_START);

        AppProcess client = withOpenTelemetry(fixture.apps().client("client-" + order, "etcd:///" + service,
                "50", String.valueOf(Long.MAX_VALUE), FIRST_CALL_DEADLINE_MS), order)
                .start();
        assertThat(EchoOutput.awaitReplies(client, 3, ItEnvironment.JVM_START)).as("replies over etcd:///")
                .containsOnly(name);
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();

        server.awaitErrLine(Pattern.compile(String.format(SPAN, "SERVER")), Duration.ofSeconds(30));
        client.awaitErrLine(Pattern.compile(String.format(SPAN, "CLIENT")), Duration.ofSeconds(30));

        server.send("stop");
        server.awaitErrLine(Pattern.compile("INFO deregistered " + Pattern.quote(key) + "$"), Duration.ofSeconds(10));
    }

    @Test
    void anAppMockingWithMockitosInlineMockMakerRunsRegisteredAndDeregisters() {
        String service = UniqueNames.service("mockito");
        AppProcess app = fixture.apps().app("mockito-app", "org.grpcetcd.it.apps.MockitoInlineApp").args("M")
                .service(service).start();
        int port = EchoOutput.awaitReady(app);
        String key = service + "/127.0.0.1:" + port;
        fixture.etcdctl().awaitEntry(key, ItEnvironment.JVM_START);
        app.awaitLine(Pattern.compile("^MOCKED port=4242 real port=" + port + "$"), ItEnvironment.JVM_START);

        AppProcess client = fixture.apps().client("client", "etcd:///" + service).start();
        assertThat(EchoOutput.awaitReplies(client, 3, ItEnvironment.JVM_START)).containsOnly("M");

        // the shutdown() hook survived Mockito's retransformation of the server's class: the key goes before exit
        app.send("stop");
        app.awaitErrLine(Pattern.compile("INFO deregistered " + Pattern.quote(key) + "$"), Duration.ofSeconds(10));
        app.awaitLine(Pattern.compile("^STOPPED$"), Duration.ofSeconds(15));
        assertThat(app.errLines()).as("the app's stderr").noneMatch(line -> line.contains("Exception"));
    }

    private static AppSpec withOpenTelemetry(AppSpec spec, Order order) {
        String ours = "-javaagent:" + ItEnvironment.agentJar();
        String openTelemetry = "-javaagent:" + openTelemetryAgent();
        return spec.withoutAgent()
                .jvmOption(order == Order.OPENTELEMETRY_FIRST ? openTelemetry : ours)
                .jvmOption(order == Order.OPENTELEMETRY_FIRST ? ours : openTelemetry)
                .property("otel.traces.exporter", "logging")
                .property("otel.metrics.exporter", "none")
                .property("otel.logs.exporter", "none")
                .property("otel.service.name", "echo");
    }

    private static Path openTelemetryAgent() {
        String configured = System.getProperty("otel.agent.jar");
        Path jar = configured == null ? null : Paths.get(configured);
        if (jar == null || !Files.isRegularFile(jar)) {
            fail("the OpenTelemetry agent jar (system property otel.agent.jar: " + configured + ") is missing: the"
                    + " it-tests build copies it into target/other-agents (mvn -pl it-tests verify)");
        }
        return jar;
    }
}
