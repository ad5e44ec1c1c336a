package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.grpcetcd.it.support.compat.Jdks;
import org.grpcetcd.it.support.oncall.AgentCli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar grpc-etcd-agent.jar attach <pid>} on apps started without the agent: the running server is
 * registered at once, a channel the app builds afterwards dials {@code etcd:///}, {@code shutdown()} takes the key
 * out before the server stops, and the JVM's exit revokes the lease. Each refused case is one line, an exit code
 * and an app left as it was.
 *
 * <p>The settings come only from the attach command's options: the apps have no {@code grpc.etcd.*} property.
 */
class AttachTest {
    private static final int LONG_TTL = 30;
    private static final Pattern SHUTDOWN_RETURNED = Pattern.compile("^SHUTDOWN-RETURNED after \\d+ ms$");
    private static final Pattern STOPPED = Pattern.compile("^STOPPED$");
    /** The JDK's own warning when an agent is loaded into a running JVM, from Java 21 on. */
    private static final String DYNAMIC_AGENT_WARNING = "WARNING: A Java agent has been loaded dynamically";
    private static final int COULD_NOT_ATTACH = 1;
    private static final int ALREADY_THERE = 3;

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();
    private AgentCli cli;

    @BeforeEach
    void cli() {
        cli = new AgentCli(fixture.apps());
    }

    static Stream<Arguments> runtimesAndJdks() {
        List<Arguments> cases = new ArrayList<>();
        for (String runtime : List.of("grpc-1.26.0-netty-shaded", "grpc-1.85.1-netty-shaded")) {
            for (Jdks jdk : Jdks.values()) {
                cases.add(Arguments.of(runtime, jdk));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("runtimesAndJdks")
    void aRunningServerIsRegisteredAtOnceAndDeregisteredByItsShutdownAsWithJavaagent(String runtime, Jdks jdk) {
        String service = UniqueNames.service("attach");
        String tag = runtime + "-java" + jdk.feature();
        AppProcess app = withoutAgent(fixture.apps().app(tag, Apps.SERVER_MAIN).args("A"))
                .classPath(CompatFiles.appClassPath(runtime)).javaExecutable(jdk.java()).start();
        int port = EchoOutput.awaitReady(app);
        String key = service + "/127.0.0.1:" + port;
        // a channel before the attach: gRPC's default name resolver registry exists, the agent must add to it
        app.send("dial 127.0.0.1:" + port);
        app.awaitLine(Pattern.compile("^DIALED 127\\.0\\.0\\.1:" + port + " REPLY A$"), Duration.ofSeconds(30));

        AgentCli.Result attached = attach(app, jdk, "--service", service, "--ttl", String.valueOf(LONG_TTL));
        assertThat(attached.exit).as("exit code of %s", attached).isZero();
        assertThat(attached.out).as("stdout of %s", attached)
                .anyMatch(line -> line.startsWith("attached grpc-etcd-agent ") && line.contains(" to JVM " + app.pid()))
                .contains("gRPC found in 1 class loader(s): 1 running server(s), 1 default name resolver registry")
                .anyMatch(line -> line.startsWith("registered " + key + " lease="));
        // the command said registered: the key is in etcd now, not eventually
        EtcdEntry entry = fixture.etcdctl().get(key).orElseThrow(
                () -> new AssertionError(key + " not in etcd after " + attached));

        app.send("dial etcd:///" + service);
        assertThat(app.awaitLine(Pattern.compile("^DIALED etcd:///"), Duration.ofSeconds(30)))
                .as("a channel the app built after the attach, on etcd:///%s", service)
                .isEqualTo("DIALED etcd:///" + service + " REPLY A");

        app.send("stop");
        Poll.until(() -> !fixture.etcdctl().exists(key), Duration.ofSeconds(5),
                () -> key + " gone from etcd after stop; stderr: " + app.errLines());
        // the look that found it gone has finished: had shutdown() returned before, its line would be here
        assertThat(app.firstLine(SHUTDOWN_RETURNED)).as("SHUTDOWN-RETURNED printed before %s was seen gone", key)
                .isEmpty();
        app.awaitLine(STOPPED, Duration.ofSeconds(30));
        assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exit code of %s", tag).isZero();
        assertThat(fixture.etcdctl().leaseTtl(entry.lease()).exists())
                .as("lease %s after the JVM exited (TTL %d s: it was revoked, not expired)", entry.leaseHex(),
                        LONG_TTL)
                .isFalse();

        List<String> stderr = app.errLines();
        assertThat(AgentLines.warningsAndErrors(stderr)).as("the agent's WARN/ERROR lines in %s", tag).isEmpty();
        assertThat(stderr).as("stderr of %s", tag).anyMatch(line -> line.endsWith("INFO deregistered " + key))
                .anyMatch(line -> line.contains("INFO revoked lease " + entry.leaseHex() + " on exit"));
        assertThat(stderr).as("the JDK's dynamic agent warning in the stderr of %s (README says when)", tag)
                .filteredOn(line -> line.startsWith(DYNAMIC_AGENT_WARNING)).hasSize(jdk.feature() >= 21 ? 1 : 0);
        System.out.printf("AttachTest: %s: attach took %d ms and printed %s%n", tag, attached.took.toMillis(),
                attached.out);
    }

    @Test
    void aJvmWithoutGrpcYetGetsAnIdleAgentThatRegistersTheServerItStartsLater() {
        String service = UniqueNames.service("late");
        // the switch README gives for silencing the JDK's warning about a dynamically loaded agent
        AppProcess app = withoutAgent(fixture.apps().app("late", "org.grpcetcd.it.apps.LateEchoServer").args("L"))
                .javaExecutable(Jdks.JAVA_25.java()).jvmOption("-XX:+EnableDynamicAgentLoading").start();
        app.awaitLine(Pattern.compile("^WAITING$"), ItEnvironment.JVM_START);

        AgentCli.Result attached = attach(app, Jdks.JAVA_25, "--service", service);
        assertThat(attached.exit).as("exit code of %s", attached).isZero();
        assertThat(attached.out).as("stdout of %s", attached)
                .anyMatch(line -> line.startsWith("no gRPC server or channel in this JVM yet: the agent waits"));

        app.send("start");
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(app);
        fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(10));
        List<String> stderr = app.errLines();
        assertThat(AgentLines.warningsAndErrors(stderr)).as("the agent's WARN/ERROR lines").isEmpty();
        assertThat(stderr).as("stderr of a Java 25 app with -XX:+EnableDynamicAgentLoading")
                .noneMatch(line -> line.startsWith(DYNAMIC_AGENT_WARNING));
    }

    /** gRPC only in a child-first class loader, as in a servlet container: found there, hooked there. */
    @Test
    void aServerWhoseGrpcLivesInAChildClassLoaderIsRegisteredToo() {
        String service = UniqueNames.service("attach-child");
        AppProcess app = withoutAgent(fixture.apps().app("child", "org.grpcetcd.it.apps.ChildLoaderApp"))
                .classPath(CompatFiles.appsJar().toString())
                .args("system", CompatFiles.appClassPath("grpc-1.85.1-netty-shaded"), Apps.SERVER_MAIN, "C").start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(app);

        AgentCli.Result attached = attach(app, Jdks.JAVA_17, "--service", service);
        assertThat(attached.exit).as("exit code of %s", attached).isZero();
        assertThat(attached.out).as("stdout of %s", attached)
                .contains("gRPC found in 1 class loader(s): 1 running server(s), 0 default name resolver registries")
                .anyMatch(line -> line.startsWith("registered " + key + " lease="));
        app.send("dial etcd:///" + service);
        assertThat(app.awaitLine(Pattern.compile("^DIALED "), Duration.ofSeconds(30)))
                .as("a channel built in the child loader after the attach")
                .isEqualTo("DIALED etcd:///" + service + " REPLY C");
        assertThat(AgentLines.warningsAndErrors(app.errLines())).as("the agent's WARN/ERROR lines").isEmpty();
    }

    @Test
    void attachingTwiceOrToAnAppStartedWithTheAgentChangesNothing() {
        String service = UniqueNames.service("twice");
        AppProcess attachedApp = withoutAgent(fixture.apps().server("T")).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(attachedApp);
        assertThat(attach(attachedApp, Jdks.JAVA_17, "--service", service).exit).as("first attach").isZero();
        long lease = fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(10)).lease();

        AgentCli.Result again = attach(attachedApp, Jdks.JAVA_17, "--service", service + "-other");
        assertThat(again.exit).as("exit code of %s", again).isEqualTo(ALREADY_THERE);
        assertThat(again.err).as("stderr of %s", again)
                .containsExactly("attach: the agent is already in JVM " + attachedApp.pid() + " (attached);"
                        + " nothing changed");
        assertThat(fixture.etcdctl().entries(service)).as("keys under %s after the second attach", service)
                .containsOnlyKeys(key);
        assertThat(fixture.etcdctl().get(key).orElseThrow().lease()).as("lease of %s", key).isEqualTo(lease);
        assertThat(attachedApp.errLines()).as("the agent's start lines in the app attached twice")
                .filteredOn(line -> line.contains(" INFO grpc-etcd-agent ") && line.contains(" active: "))
                .hasSize(1);

        AppProcess javaagentApp = fixture.apps().server("J").service(service).start();
        EchoOutput.awaitReady(javaagentApp);
        AgentCli.Result onJavaagent = attach(javaagentApp, Jdks.JAVA_17);
        assertThat(onJavaagent.exit).as("exit code of %s", onJavaagent).isEqualTo(ALREADY_THERE);
        assertThat(onJavaagent.err).as("stderr of %s", onJavaagent)
                .containsExactly("attach: the agent is already in JVM " + javaagentApp.pid() + " (-javaagent);"
                        + " nothing changed");
        assertThat(AgentLines.warningsAndErrors(javaagentApp.errLines())).as("the agent's WARN/ERROR lines")
                .isEmpty();
    }

    @Test
    void noSuchPid() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        AgentCli.Result result = cli.run("attach", String.valueOf(gone.pid()));
        assertThat(result.exit).as("exit code of %s", result).isEqualTo(COULD_NOT_ATTACH);
        assertThat(result.err).as("stderr of %s", result).containsExactly("attach: no process with pid " + gone.pid());
        assertThat(result.out).as("stdout of %s", result).isEmpty();
    }

    @Test
    void aJvmWithItsAttachMechanismOffIsLeftAsItWas() {
        String service = UniqueNames.service("noattach");
        AppProcess app = withoutAgent(fixture.apps().server("D")).jvmOption("-XX:+DisableAttachMechanism").start();
        int port = EchoOutput.awaitReady(app);

        AgentCli.Result result = attach(app, Jdks.JAVA_17, "--service", service);
        assertThat(result.exit).as("exit code of %s", result).isEqualTo(COULD_NOT_ATTACH);
        assertThat(result.err).as("stderr of %s", result).containsExactly("attach: JVM " + app.pid() + " has its"
                + " attach mechanism turned off (-XX:+DisableAttachMechanism): start it with"
                + " -javaagent:grpc-etcd-agent.jar instead");
        assertUnharmed(app, port, service);
    }

    /** The tests run as root (they start dockerd); the attach command runs as nobody, the app as root. */
    @Test
    void aJvmOfAnotherUserIsRefusedWithWhoToRunAttachAs() {
        assertThat(System.getProperty("user.name")).as("user running the tests, who must be root to start the"
                + " attach command as another user").isEqualTo("root");
        String service = UniqueNames.service("otheruser");
        AppProcess app = withoutAgent(fixture.apps().server("U")).start();
        int port = EchoOutput.awaitReady(app);

        List<String> args = List.of("attach", String.valueOf(app.pid()), "--service", service);
        AgentCli.Result result = cli.run(cli.spec(Map.of(), args).asUser("nobody", "nogroup"),
                args.toArray(new String[0]));
        assertThat(result.exit).as("exit code of %s", result).isEqualTo(COULD_NOT_ATTACH);
        assertThat(result.err).as("stderr of %s", result).containsExactly("attach: pid " + app.pid() + " runs as"
                + " user root, not as nobody, and a JVM lets only its own user (or root) attach: run attach as root,"
                + " e.g. sudo -u root java -jar grpc-etcd-agent.jar attach " + app.pid());
        assertUnharmed(app, port, service);
    }

    /** Still serving, nothing of the agent on its stderr and nothing in etcd. */
    private static void assertUnharmed(AppProcess app, int port, String service) {
        app.send("dial 127.0.0.1:" + port);
        assertThat(app.awaitLine(Pattern.compile("^DIALED "), Duration.ofSeconds(30))).as("%s serving", app)
                .isEqualTo("DIALED 127.0.0.1:" + port + " REPLY " + app.name());
        assertThat(app.errLines()).as("stderr of %s", app).noneMatch(line -> line.contains("grpc-etcd-agent"));
        assertThat(fixture.etcdctl().entries(service)).as("keys under %s", service).isEmpty();
    }

    /** An app with no agent and no {@code grpc.etcd.*} property: the attach command brings both. */
    private static AppSpec withoutAgent(AppSpec spec) {
        return spec.withoutAgent().endpoints(null);
    }

    /** {@code attach <pid> --endpoints <this class's etcd> options...}, on the app's Java. */
    private AgentCli.Result attach(AppProcess app, Jdks jdk, String... options) {
        List<String> args = new ArrayList<>(List.of("attach", String.valueOf(app.pid()), "--endpoints",
                fixture.etcd().endpoint()));
        args.addAll(List.of(options));
        return cli.run(cli.spec(Map.of(), args).javaExecutable(jdk.java()), args.toArray(new String[0]));
    }
}
