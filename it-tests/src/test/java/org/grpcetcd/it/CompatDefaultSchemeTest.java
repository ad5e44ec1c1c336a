package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.compat.AgentLines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code grpc.etcd.default-scheme=true}: targets without a scheme ({@code forTarget("echo.Echo")}) resolve
 * through etcd, and through DNS when etcd holds nothing for them; without the setting, such a target is never
 * looked up in etcd.
 *
 * <p>Host names are never sent to a DNS server from here: every client JVM resolves names through a hosts file
 * holding only {@code localhost} ({@code -Djdk.net.hosts.file}), so a name that reaches DNS resolution and is not
 * {@code localhost} fails at once, without network traffic.
 */
class CompatDefaultSchemeTest {
    private static final String ECHO = "echo.Echo";
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);
    private static final Pattern WATCHING_ECHO = Pattern.compile("INFO watching " + Pattern.quote(ECHO + "/")
            + " in etcd: ");

    private static EtcdServer etcd;
    private static EtcdCtl etcdctl;
    private static Path hostsFile;
    private Apps apps;

    @BeforeAll
    static void startEtcd() {
        TestLogs logs = TestLogs.of(CompatDefaultSchemeTest.class);
        etcd = EtcdServer.started(logs.file("etcd.log"));
        etcdctl = new EtcdCtl(etcd);
        hostsFile = logs.file("hosts");
        try {
            Files.write(hostsFile, "127.0.0.1 localhost\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void setUp(TestInfo test) {
        apps = new Apps(TestLogs.of(test), etcd.endpoint());
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    @Test
    void withTheSettingAPlainServiceNameResolvesThroughEtcd() {
        AppProcess server = apps.server("N").start(); // registered under echo.Echo, its gRPC service
        String key = ECHO + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        etcdctl.awaitEntry(key, REGISTERED_WITHIN);
        // started once etcd knows the name: with nothing in etcd the target would go to DNS (the next test)
        AppProcess client = client("client", ECHO).setting("default-scheme", true).start();

        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        assertThat(replies).as("replies to a client on the plain target %s", ECHO).containsOnly("N");
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        String watching = client.awaitErrLine(WATCHING_ECHO, Duration.ofSeconds(5));
        assertThat(AgentLines.warningsAndErrors(client.errLines())).as("the agent's WARN/ERROR lines").isEmpty();
        server.terminate(Duration.ofSeconds(30)); // its lease goes with it: no key left for the next test
        System.out.printf("CompatDefaultSchemeTest: default-scheme=true, target %s: %d replies from N; the agent "
                + "said '%s'%n", ECHO, replies.size(), watching.replaceFirst("^.* INFO ", ""));
    }

    @Test
    void withTheSettingATargetEtcdDoesNotKnowFallsBackToDns() {
        AppProcess server = apps.server("F").withoutAgent().start(); // never registered anywhere
        int port = EchoOutput.awaitReady(server);
        String target = "localhost:" + port;
        AppProcess client = client("client", target).setting("default-scheme", true).start();

        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        assertThat(replies).as("replies to a client on %s (etcd holds nothing for it)", target).containsOnly("F");
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        assertThat(etcdctl.entries("").keySet()).as("keys in etcd: none for %s", target)
                .noneMatch(key -> key.startsWith("localhost") || key.endsWith(":" + port));
        assertThat(AgentLines.warningsAndErrors(client.errLines())).as("the agent's WARN/ERROR lines").isEmpty();
        System.out.printf("CompatDefaultSchemeTest: default-scheme=true, target %s unknown to etcd: %d replies "
                + "through DNS (localhost)%n", target, replies.size());
    }

    @Test
    void withoutTheSettingAPlainServiceNameIsNotResolvedThroughEtcd() {
        AppProcess server = apps.server("N").start();
        String key = ECHO + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        etcdctl.awaitEntry(key, REGISTERED_WITHIN);
        // etcd has echo.Echo; the client, without the setting, must not use it
        AppProcess client = client("client", ECHO, "20", "5", "2000").start();

        client.awaitLine(Pattern.compile("^CLIENT-DONE$"), ItEnvironment.JVM_START);
        assertThat(EchoOutput.replies(client)).as("replies to a client on %s without default-scheme", ECHO)
                .isEmpty();
        assertThat(EchoOutput.errors(client)).as("its calls, each failing").hasSize(5);
        assertThat(client.errLines()).as("the client's stderr: no watch of %s/ in etcd", ECHO)
                .noneMatch(line -> WATCHING_ECHO.matcher(line).find());
        assertThat(etcdctl.exists(key)).as("%s still in etcd all along", key).isTrue();
        server.terminate(Duration.ofSeconds(30));
        System.out.printf("CompatDefaultSchemeTest: no default-scheme, target %s while etcd holds %s: %s%n", ECHO,
                key, EchoOutput.errors(client).get(0));
    }

    /** A client whose JVM resolves host names through the hosts file only (see the class comment). */
    private AppSpec client(String name, String target, String... args) {
        AppSpec spec = args.length == 0
                ? apps.client(name, target, "20", String.valueOf(Long.MAX_VALUE), "60000")
                : apps.client(name, target, args);
        return spec.property("jdk.net.hosts.file", hostsFile.toString());
    }
}
