package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.OutputLine;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.CompatFiles;
import org.grpcetcd.it.support.compat.Jdks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code etcd:///} names fail fast like DNS names: with no instance in etcd, or before etcd ever answered, a call
 * without waitForReady fails at once with UNAVAILABLE and a description saying what is missing, long before its
 * deadline; a waitForReady call waits; and the channel recovers by itself once an instance registers or etcd
 * answers. A service whose last instance left fails fast with that description too. On the oldest and the
 * newest gRPC, each app in its own JVM.
 */
class FailFastTest {
    private static final String CONFIGURED_CLIENT = "org.grpcetcd.it.apps.ConfiguredClient";
    /** Far beyond what failing fast takes: a call that waited for its deadline shows as ERROR DEADLINE_EXCEEDED. */
    private static final String DEADLINE_MS = "20000";
    private static final Pattern ERROR = Pattern.compile("^ERROR (\\S+) (.*) after (\\d+) ms$");

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.singleMember();

    @BeforeEach
    void etcdRuns() {
        if (!fixture.etcd().isRunning()) {
            fixture.etcd().start(); // a test that failed half-way left it down
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc-1.26.0-netty-shaded", "grpc-1.85.1-netty-shaded"})
    void aNameWithNoInstanceFailsFastAndTheChannelRecoversWhenOneRegisters(String runtime) {
        String service = UniqueNames.service("typo");
        AppProcess client = client(runtime, service, "--interval-ms", "200", "--deadline-ms", DEADLINE_MS);
        assertFirstCallFailsFast(runtime, "a call to a name with no instance", client,
                "no instance of " + service + " registered in etcd at [" + fixture.etcd().endpoint() + "]");

        AppProcess server = on(fixture.apps().server("S"), runtime).service(service).start();
        EchoOutput.awaitReady(server);
        EchoOutput.awaitReplies(client, 1, ItEnvironment.JVM_START);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc-1.26.0-netty-shaded", "grpc-1.85.1-netty-shaded"})
    void aWaitForReadyCallWaitsForAnInstance(String runtime) {
        String service = UniqueNames.service("wfr");
        AppProcess client = client(runtime, service, "--wait-for-ready", "--calls", "1", "--deadline-ms", "60000");
        client.awaitLine(Pattern.compile("^CLIENT-READY "), ItEnvironment.JVM_START);
        Poll.sleep(Duration.ofSeconds(2)); // the resolver has said there is no instance by now
        assertThat(client.lines()).as("%s: a waitForReady call's outcome before any instance registered", runtime)
                .noneMatch(line -> line.startsWith("REPLY") || line.startsWith("ERROR"));

        AppProcess server = on(fixture.apps().server("S"), runtime).service(service).start();
        EchoOutput.awaitReady(server);
        String outcome = client.awaitLine(Pattern.compile("^(REPLY|ERROR) "), ItEnvironment.JVM_START);
        assertThat(outcome).as("%s: the waitForReady call once S registered", runtime).isEqualTo("REPLY S");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc-1.26.0-netty-shaded", "grpc-1.85.1-netty-shaded"})
    void beforeEtcdEverAnsweredCallsFailFastAndTheChannelRecoversWhenItAnswers(String runtime) {
        String service = UniqueNames.service("noetcd");
        fixture.etcd().stop();
        AppProcess client = client(runtime, service, "--interval-ms", "200", "--deadline-ms", DEADLINE_MS);
        assertFirstCallFailsFast(runtime, "a call before etcd answered", client,
                "etcd at [" + fixture.etcd().endpoint() + "] has not answered yet: ");

        fixture.etcd().start();
        AppProcess server = on(fixture.apps().server("S"), runtime).service(service).start();
        EchoOutput.awaitReady(server);
        EchoOutput.awaitReplies(client, 1, ItEnvironment.JVM_START);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc-1.26.0-netty-shaded", "grpc-1.85.1-netty-shaded"})
    void whenTheLastInstanceLeavesCallsFailFastSayingSo(String runtime) {
        String service = UniqueNames.service("gone");
        AppProcess server = on(fixture.apps().server("S"), runtime).service(service).drainMs(300).start();
        fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(server), Duration.ofSeconds(15));
        AppProcess client = client(runtime, service, "--interval-ms", "100", "--deadline-ms", DEADLINE_MS);
        EchoOutput.awaitReplies(client, 3, ItEnvironment.JVM_START);

        server.send("stop");
        OutputLine stopped = server.awaitOutputLine(Pattern.compile("^STOPPED$"), Duration.ofSeconds(30));
        String reason = "no instance of " + service + " registered in etcd at [" + fixture.etcd().endpoint() + "]";
        Poll.until(() -> errorsAfter(client, stopped).stream().anyMatch(line -> line.contains(reason)),
                Duration.ofSeconds(10), () -> runtime + ": an ERROR line saying '" + reason + "' after S stopped; "
                        + "client output: " + client.lines());
        List<String> after = errorsAfter(client, stopped);
        System.out.printf("FailFastTest: %s: calls after the last instance left: %s%n", runtime,
                after.subList(0, Math.min(3, after.size())));
        for (String line : after) {
            Matcher error = ERROR.matcher(line);
            assertThat(error.matches()).as("%s: client line %s", runtime, line).isTrue();
            assertFailedLongBeforeTheDeadline(runtime, error);
        }
    }

    private static List<String> errorsAfter(AppProcess client, OutputLine stopped) {
        return client.outputLines().stream().filter(line -> line.seenAtNanos() > stopped.seenAtNanos())
                .map(OutputLine::text).filter(text -> text.startsWith("ERROR ")).collect(Collectors.toList());
    }

    /** The client's first call fails with UNAVAILABLE, a description starting so, long before its deadline. */
    private static void assertFirstCallFailsFast(String runtime, String what, AppProcess client, String description) {
        Matcher error = ERROR.matcher(client.awaitLine(ERROR, ItEnvironment.JVM_START));
        error.matches();
        System.out.printf("FailFastTest: %s: %s: %s%n", runtime, what, error.group());
        assertThat(error.group(1)).as("%s: status of %s", runtime, what).isEqualTo("UNAVAILABLE");
        assertThat(error.group(2)).as("%s: description of %s", runtime, what).startsWith(description);
        assertFailedLongBeforeTheDeadline(runtime, error);
    }

    private static void assertFailedLongBeforeTheDeadline(String runtime, Matcher error) {
        assertThat(Long.parseLong(error.group(3))).as("%s: ms the failed call took (deadline %s ms): %s", runtime,
                DEADLINE_MS, error.group()).isLessThan(5000);
    }

    private static AppProcess client(String runtime, String service, String... flags) {
        return on(fixture.apps().app("client", CONFIGURED_CLIENT), runtime).args("etcd:///" + service).args(flags)
                .start();
    }

    private static AppSpec on(AppSpec spec, String runtime) {
        return spec.classPath(CompatFiles.appClassPath(runtime)).javaExecutable(Jdks.JAVA_17.java());
    }
}
