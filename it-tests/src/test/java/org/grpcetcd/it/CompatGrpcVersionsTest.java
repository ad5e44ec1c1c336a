package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.AgentLines;
import org.grpcetcd.it.support.compat.CompatFiles;
import org.grpcetcd.it.support.compat.JdkWarnings;
import org.grpcetcd.it.support.compat.Jdks;
import org.grpcetcd.it.support.compat.KeyProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gRPC version and Netty transport of it-runtimes, on Java 17 and Java 25: the same unmodified apps
 * (compiled against gRPC 1.26.0) run on that gRPC alone, under the agent. Two servers register with exact keys
 * and values, a client on the same version dialing {@code etcd:///<service>} spreads its calls over both, and a
 * server stopped gracefully leaves etcd within a second. A server and a client on different versions find
 * each other; an in-process server is left out of etcd without a complaint; on Java 25 the agent adds no JDK
 * warning.
 *
 * <p>The apps of a case start together, and the class shares one etcd, so the whole matrix stays short.
 */
class CompatGrpcVersionsTest {
    static final List<String> RUNTIMES = List.of(
            "grpc-1.26.0-netty-shaded",
            "grpc-1.40.2-netty-shaded",
            "grpc-1.53.0-netty-shaded",
            "grpc-1.60.1-netty-shaded",
            "grpc-1.69.1-netty-shaded",
            "grpc-1.85.1-netty-shaded",
            "grpc-1.26.0-netty",
            "grpc-1.85.1-netty");
    /** Netty of this runtime calls neither Unsafe nor native code on Java 25: its stderr must have no WARNING. */
    private static final String WARNING_FREE_RUNTIME = "grpc-1.85.1-netty";
    private static final int TTL = 10;
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);
    private static final long GONE_WITHIN_MS = 1000;
    private static final int ROUND_ROBIN_WINDOW = 40;
    private static final Pattern STOPPED = Pattern.compile("^STOPPED$");

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();
    private static KeyProbe probe;

    @BeforeAll
    static void createProbe() {
        probe = new KeyProbe(fixture.etcd().endpoint());
    }

    static Stream<Arguments> runtimesAndJdks() {
        List<Arguments> cases = new ArrayList<>();
        for (String runtime : RUNTIMES) {
            for (Jdks jdk : Jdks.values()) {
                cases.add(Arguments.of(runtime, jdk));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("runtimesAndJdks")
    void twoServersRegisterAClientReachesBothAndAGracefulStopDeregisters(String runtime, Jdks jdk) {
        long begin = System.nanoTime();
        String service = UniqueNames.service("m-" + runtime.substring("grpc-".length()).replace('.', '_'));
        String classPath = CompatFiles.appClassPath(runtime);
        String java = jdk.java();
        String tag = runtime + "-java" + jdk.feature();
        String version = runtime.split("-")[1];
        String transport = runtime.substring(runtime.indexOf('-', "grpc-".length()) + 1);
        assertThat(classPath).as("class path of %s", runtime).contains("/grpc-core-" + version + ".jar")
                .contains("/grpc-" + transport + "-" + version + ".jar");
        AppProcess a = on(fixture.apps().app(tag + "-A", Apps.SERVER_MAIN).args("A"), classPath, java).service(service)
                .ttl(TTL).start();
        AppProcess b = on(fixture.apps().app(tag + "-B", Apps.SERVER_MAIN).args("B"), classPath, java).service(service)
                .ttl(TTL).start();
        // the client starts with the servers: its first call waits (deadline 60 s) until etcd lists them
        AppProcess client = on(fixture.apps().app(tag + "-client", Apps.CLIENT_MAIN).args("etcd:///" + service, "20",
                String.valueOf(Long.MAX_VALUE), "60000"), classPath, java).start();

        String keyA = service + "/127.0.0.1:" + EchoOutput.awaitReady(a);
        String keyB = service + "/127.0.0.1:" + EchoOutput.awaitReady(b);
        Map<String, EtcdEntry> registered = Poll.untilPresent(
                () -> Optional.of(fixture.etcdctl().entries(service + "/")).filter(entries -> entries.size() >= 2),
                REGISTERED_WITHIN, tag + ": " + keyA + " and " + keyB);
        assertThat(registered.keySet()).as("%s: keys under %s/", tag, service).isEqualTo(Set.of(keyA, keyB));
        for (EtcdEntry entry : registered.values()) {
            assertThat(entry.valueBytes()).as("%s: value of %s", tag, entry.key())
                    .isEqualTo(("{\"Op\":0,\"Addr\":\"" + entry.hostPort() + "\",\"Metadata\":null}")
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(entry.lease()).as("%s: lease of %s", tag, entry.key()).isNotZero();
        }
        int fromLine = client.lines().size(); // both are in etcd from here on

        Poll.until(() -> {
            List<String> since = repliesFrom(client, fromLine);
            return since.size() >= ROUND_ROBIN_WINDOW || (since.contains("A") && since.contains("B"));
        }, ItEnvironment.JVM_START, Duration.ofMillis(20),
                () -> tag + ": the client reaching A and B; its stdout: " + client.lines() + "; stderr: "
                        + client.errLines());
        List<String> window = repliesFrom(client, fromLine);
        window = window.subList(0, Math.min(window.size(), ROUND_ROBIN_WINDOW));
        assertThat(window).as("%s: the client's first %d replies once A and B were in etcd", tag,
                ROUND_ROBIN_WINDOW).contains("A", "B");
        int repliesToBoth = Math.max(window.indexOf("A"), window.indexOf("B")) + 1;
        assertThat(EchoOutput.errors(client)).as("%s: ERROR lines of the client", tag).isEmpty();

        long stopSent = System.nanoTime();
        a.send("stop");
        long goneMs = probe.awaitGoneMillis(keyA, stopSent, Duration.ofSeconds(10));
        assertThat(goneMs).as("%s: ms from sending stop to A until %s was gone from etcd", tag, keyA)
                .isLessThanOrEqualTo(GONE_WITHIN_MS);
        assertThat(probe.exists(keyB)).as("%s: %s still in etcd after A stopped", tag, keyB).isTrue();
        a.awaitErrLine(Pattern.compile("INFO deregistered " + Pattern.quote(keyA) + "$"), Duration.ofSeconds(5));

        Set<String> warned = new java.util.TreeSet<>();
        for (AppProcess app : List.of(a, b, client)) {
            assertThat(AgentLines.warningsAndErrors(app.errLines())).as("%s: the agent's WARN/ERROR lines in %s",
                    tag, app.name()).isEmpty();
            if (jdk == Jdks.JAVA_25) {
                warned.addAll(assertNoJdkWarningFromTheAgent(tag, runtime, app));
            }
        }
        System.out.printf("CompatGrpcVersionsTest: %-26s %s: A and B registered, client reached both within %d "
                + "replies, A's key gone %d ms after stop, JDK warnings by %s, case took %d ms%n", runtime, jdk,
                repliesToBoth, goneMs, warned.isEmpty() ? "nobody" : warned,
                Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }

    @ParameterizedTest(name = "server on {0}, client on {1}")
    @CsvSource({
        "grpc-1.26.0-netty-shaded, grpc-1.85.1-netty-shaded",
        "grpc-1.85.1-netty-shaded, grpc-1.26.0-netty-shaded"})
    void aServerOnOneVersionIsFoundByAClientOnAnother(String serverRuntime, String clientRuntime) {
        String service = UniqueNames.service("mixed");
        String java = Jdks.JAVA_17.java();
        String tag = "server-" + serverRuntime + "-client-" + clientRuntime;
        AppProcess server = on(fixture.apps().app(tag + "-S", Apps.SERVER_MAIN).args("S"),
                CompatFiles.appClassPath(serverRuntime), java).service(service).start();
        AppProcess client = on(fixture.apps().app(tag + "-client", Apps.CLIENT_MAIN).args("etcd:///" + service, "20",
                String.valueOf(Long.MAX_VALUE), "60000"), CompatFiles.appClassPath(clientRuntime), java).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        assertThat(replies).as("replies of the %s client from the %s server", clientRuntime, serverRuntime)
                .containsOnly("S");
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        System.out.printf("CompatGrpcVersionsTest: server on %s found by a client on %s: %d replies%n",
                serverRuntime, clientRuntime, replies.size());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "grpc-1.26.0-netty-shaded, JAVA_17",
        "grpc-1.85.1-inprocess, JAVA_25"})
    void anInProcessServerIsSkippedQuietly(String runtime, Jdks jdk) {
        String service = UniqueNames.service("inproc");
        AppProcess app = on(fixture.apps().app(runtime + "-java" + jdk.feature(),
                "org.grpcetcd.it.apps.InProcessServerApp"), CompatFiles.appClassPath(runtime), jdk.java()).args("P")
                .service(service).start();
        app.awaitLine(Pattern.compile("^READY P in-process$"), ItEnvironment.JVM_START);
        assertThat(app.lines()).as("the in-process call went through under the agent").contains("REPLY P");
        // a TCP server of this JVM would be in etcd well within this time (lease grant plus one put)
        Poll.sleep(Duration.ofMillis(1500));
        Map<String, EtcdEntry> everything = fixture.etcdctl().entries("");
        assertThat(everything.keySet()).as("keys in etcd after the in-process server started with service %s",
                service).noneMatch(key -> key.contains(service));
        app.send("stop");
        app.awaitLine(STOPPED, Duration.ofSeconds(30));
        assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exit code of the in-process app").isZero();
        List<String> stderr = app.errLines();
        assertThat(AgentLines.warningsAndErrors(stderr)).as("the agent's WARN/ERROR lines for an in-process server")
                .isEmpty();
        assertThat(AgentLines.troubleOutsideTheAgent(stderr)).as("other trouble on stderr").isEmpty();
        if (jdk == Jdks.JAVA_25) {
            // no Netty on this class path: whatever the JDK warns about could only come from the agent
            assertThat(JdkWarnings.of(stderr).lines()).as("JDK WARNING lines on Java 25, stderr: %s", stderr)
                    .isEmpty();
        }
        System.out.printf("CompatGrpcVersionsTest: in-process server on %s %s: nothing in etcd, agent said %s%n",
                runtime, jdk, stderr.stream().filter(line -> line.startsWith("[grpc-etcd-agent]"))
                        .map(line -> line.replaceFirst("^\\[grpc-etcd-agent\\] \\S+ ", ""))
                        .filter(line -> !line.contains(" active: ")).findFirst().orElse("nothing more"));
    }

    /**
     * On Java 25: no JDK warning points at the agent and every one names its caller; on the runtime whose Netty
     * triggers none, there is no WARNING line at all (so nothing of the agent's can hide behind Netty's).
     * Returns the callers the JDK named.
     */
    private static List<String> assertNoJdkWarningFromTheAgent(String tag, String runtime, AppProcess app) {
        JdkWarnings warnings = JdkWarnings.of(app.errLines());
        assertThat(warnings.blamingTheAgent()).as("%s: JDK warnings naming the agent in %s's stderr", tag,
                app.name()).isEmpty();
        assertThat(warnings.unexplained()).as("%s: JDK warnings in %s's stderr that name no caller", tag,
                app.name()).isEmpty();
        if (runtime.equals(WARNING_FREE_RUNTIME)) {
            assertThat(warnings.lines()).as("%s: WARNING lines in %s's stderr", tag, app.name()).isEmpty();
        }
        return warnings.callers().stream().map(caller -> caller.replaceFirst("^io\\.grpc\\.netty\\.shaded\\.", ""))
                .map(caller -> caller.replaceFirst("\\$.*$", "")).distinct()
                .collect(java.util.stream.Collectors.toList());
    }

    private static List<String> repliesFrom(AppProcess client, int fromLine) {
        List<String> lines = client.lines();
        return EchoOutput.replies(lines.subList(Math.min(fromLine, lines.size()), lines.size()));
    }

    private static AppSpec on(AppSpec spec, String classPath, String java) {
        return spec.classPath(classPath).javaExecutable(java);
    }
}
