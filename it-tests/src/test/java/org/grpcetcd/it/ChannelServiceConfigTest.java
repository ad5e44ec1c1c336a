package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.AgentLines;
import org.grpcetcd.it.support.compat.CompatFiles;
import org.grpcetcd.it.support.compat.Jdks;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A channel's own service config and policy survive {@code etcd:///}: gRPC prefers a resolver's service config
 * to the channel's, so the agent gives its round_robin only to channels that chose nothing. Each case runs on
 * the oldest and the newest gRPC (with grpc-services, whose load balancers do client-side health checking), the
 * servers and the client in JVMs of their own, the client started once etcd lists its servers.
 */
class ChannelServiceConfigTest {
    private static final String CONFIGURED_CLIENT = "org.grpcetcd.it.apps.ConfiguredClient";
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(15);
    private static final int CALLS = 30;
    /** Who answers is tested here, not how fast: a first call on a loaded machine may take seconds to connect. */
    private static final String CALL_DEADLINE_MS = "30000";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc-1.26.0-services", "grpc-1.85.1-services"})
    void theChannelsRetryPolicyRetriesACallThatFailsTwice(String runtime) {
        String service = UniqueNames.service("retry");
        AppProcess flaky = registered(on(fixture.apps().app("flaky", "org.grpcetcd.it.apps.FlakyServer"), runtime)
                .args("F", "2").service(service).start(), service);

        AppProcess client = client(runtime, service, "--config", "retry", "--calls", "1", "--deadline-ms", "20000")
                .start();
        String outcome = client.awaitLine(Pattern.compile("^(REPLY|ERROR) "), ItEnvironment.JVM_START);
        System.out.printf("ChannelServiceConfigTest: %s: retry policy over etcd:///: %s; server said %s%n", runtime,
                outcome, flaky.lines());
        assertThat(outcome).as("%s: the one call, whose first two attempts fail with UNAVAILABLE", runtime)
                .isEqualTo("REPLY F");
        assertThat(flaky.lines()).as("%s: the server's output", runtime).contains("FAILED 1", "FAILED 2");
        assertNoAgentWarning(runtime, client);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc-1.26.0-services", "grpc-1.85.1-services"})
    void theChannelsHealthCheckingKeepsCallsOffANotServingInstance(String runtime) {
        String service = UniqueNames.service("hc");
        registered(on(fixture.apps().app("A", "org.grpcetcd.it.apps.HealthToggleServer"),
                runtime).args("A").service(service).start(), service);
        AppProcess sick = registered(on(fixture.apps().app("B", "org.grpcetcd.it.apps.HealthToggleServer"),
                runtime).args("B").service(service).start(), service);
        sick.send("not-serving");
        sick.awaitLine(Pattern.compile("^HEALTH NOT_SERVING$"), Duration.ofSeconds(10));

        AppProcess client = client(runtime, service, "--config", "health", "--calls", String.valueOf(CALLS),
                "--interval-ms", "20", "--deadline-ms", CALL_DEADLINE_MS).start();
        List<String> replies = EchoOutput.awaitReplies(client, CALLS, ItEnvironment.JVM_START);
        System.out.printf("ChannelServiceConfigTest: %s: health checking over etcd:///: replies from %s%n", runtime,
                new TreeSet<>(replies));
        assertThat(replies).as("%s: replies with B (in etcd, health NOT_SERVING) and A serving", runtime)
                .hasSize(CALLS).containsOnly("A");
        assertNoAgentWarning(runtime, client);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc-1.26.0-services", "grpc-1.85.1-services"})
    void aChannelThatChosePickFirstKeepsIt(String runtime) {
        assertThat(serversAnsweringOverAAndB(runtime, "pf", "--config", "pick-first"))
                .as("%s: servers that answered a pick_first channel over A and B", runtime).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc-1.26.0-services", "grpc-1.85.1-services"})
    void aChannelThatChoseNothingSpreadsRoundRobin(String runtime) {
        assertThat(serversAnsweringOverAAndB(runtime, "rr"))
                .as("%s: servers that answered a channel that chose nothing", runtime).isEqualTo(Set.of("A", "B"));
    }

    /** Registers echo servers A and B, makes {@link #CALLS} calls with a client of these flags, returns who answered. */
    private static Set<String> serversAnsweringOverAAndB(String runtime, String prefix, String... flags) {
        String service = UniqueNames.service(prefix);
        registered(on(fixture.apps().server("A"), runtime).service(service).start(), service);
        registered(on(fixture.apps().server("B"), runtime).service(service).start(), service);
        AppProcess client = client(runtime, service, flags).args("--calls", String.valueOf(CALLS), "--interval-ms",
                "20", "--deadline-ms", CALL_DEADLINE_MS).start();
        Set<String> answered = new TreeSet<>(EchoOutput.awaitReplies(client, CALLS, ItEnvironment.JVM_START));
        System.out.printf("ChannelServiceConfigTest: %s: a client with %s over etcd:///: replies from %s%n", runtime,
                flags.length == 0 ? "no choice" : String.join(" ", flags), answered);
        assertNoAgentWarning(runtime, client);
        return answered;
    }

    private static AppProcess registered(AppProcess server, String service) {
        fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(server), REGISTERED_WITHIN);
        return server;
    }

    private static AppSpec client(String runtime, String service, String... flags) {
        return on(fixture.apps().app("client", CONFIGURED_CLIENT), runtime).args("etcd:///" + service).args(flags);
    }

    private static void assertNoAgentWarning(String runtime, AppProcess client) {
        assertThat(AgentLines.warningsAndErrors(client.errLines())).as("%s: the agent's WARN/ERROR lines in the "
                + "client", runtime).isEmpty();
    }

    private static AppSpec on(AppSpec spec, String runtime) {
        return spec.classPath(CompatFiles.appClassPath(runtime)).javaExecutable(Jdks.JAVA_17.java());
    }
}
