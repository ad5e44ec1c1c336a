package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.AgentLines;
import org.grpcetcd.it.support.compat.GoPeer;
import org.grpcetcd.it.support.compat.PeerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Java under the agent and Go on etcd's own naming package (etcd 3.4's {@code clientv3/naming/endpoints} and
 * {@code resolver}, grpc-go from Debian) share one etcd: a Java client finds a Go server and a Java server, a Go
 * client finds a Java server, and both write the very same bytes for the same kind of endpoint.
 */
class CompatGoInteropTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);
    private static final Pattern READY = Pattern.compile("^READY (\\S+) port=(\\d+)$");
    private static final Pattern CLIENT_DONE = Pattern.compile("^CLIENT-DONE$");
    private static final int GO_CALLS = 20;

    private static EtcdServer etcd;
    private static EtcdCtl etcdctl;
    private static GoPeer goPeer;
    private TestLogs logs;
    private Apps apps;
    private PeerProcess goProcess;

    @BeforeAll
    static void startEtcdAndBuildTheGoPeer() {
        TestLogs classLogs = TestLogs.of(CompatGoInteropTest.class);
        goPeer = GoPeer.build(classLogs.file("go-build.log"));
        etcd = EtcdServer.started(classLogs.file("etcd.log"));
        etcdctl = new EtcdCtl(etcd);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void setUp(TestInfo test) {
        logs = TestLogs.of(test);
        apps = new Apps(logs, etcd.endpoint());
    }

    @AfterEach
    void tearDown() {
        try {
            apps.close();
        } finally {
            if (goProcess != null) {
                goProcess.close();
            }
        }
    }

    @Test
    void javaClientReachesAGoServerAndAJavaServerWhoseValuesAreByteIdentical() {
        String service = UniqueNames.service("gojava");
        goProcess = goPeer.server("G", etcd.endpoint(), service, base("go-server"));
        AppProcess javaServer = apps.server("J").service(service).start();
        AppProcess client = apps.client("client", "etcd:///" + service, "20", String.valueOf(Long.MAX_VALUE),
                "60000").start();

        Matcher goReady = READY.matcher(goProcess.awaitLine(READY, ItEnvironment.JVM_START));
        assertThat(goReady.matches()).isTrue();
        String goHostPort = "127.0.0.1:" + goReady.group(2);
        String javaHostPort = "127.0.0.1:" + EchoOutput.awaitReady(javaServer);
        Map<String, EtcdEntry> entries = Poll.untilPresent(() -> Optional.of(etcdctl.entries(service + "/"))
                .filter(found -> found.size() >= 2), REGISTERED_WITHIN, "the Go and the Java key under " + service);
        EtcdEntry goEntry = entries.get(service + "/" + goHostPort);
        EtcdEntry javaEntry = entries.get(service + "/" + javaHostPort);
        assertThat(goEntry).as("the Go server's key among %s", entries.keySet()).isNotNull();
        assertThat(javaEntry).as("the Java server's key among %s", entries.keySet()).isNotNull();
        assertThat(goEntry.lease()).as("the Go server's key is under a lease").isNotZero();

        // the same kind of endpoint (plain address, no metadata): Java writes what Go writes, byte for byte
        byte[] goValueForJavaAddress = goEntry.value().replace(goHostPort, javaHostPort)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(javaEntry.valueBytes()).as("the Java value %s against the Go value %s with the address swapped",
                javaEntry.value(), goEntry.value()).isEqualTo(goValueForJavaAddress);
        assertThat(goEntry.value()).isEqualTo("{\"Op\":0,\"Addr\":\"" + goHostPort + "\",\"Metadata\":null}");

        Poll.until(() -> EchoOutput.replies(client).containsAll(List.of("G", "J")), ItEnvironment.JVM_START,
                Duration.ofMillis(20), () -> "the Java client reaching the Go server G and the Java server J; its "
                        + "output: " + client.lines() + "; stderr: " + client.errLines());
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the Java client").isEmpty();
        assertThat(AgentLines.warningsAndErrors(client.errLines())).as("the agent's WARN/ERROR lines in the client")
                .isEmpty();
        assertThat(AgentLines.warningsAndErrors(javaServer.errLines())).as("the agent's WARN/ERROR lines in J")
                .isEmpty();
        System.out.printf("CompatGoInteropTest: Go wrote %s, Java wrote %s; the Java client reached G and J: %s%n",
                goEntry.value(), javaEntry.value(), EchoOutput.replies(client).stream().limit(4)
                        .collect(java.util.stream.Collectors.toList()));
    }

    /**
     * etcd's Go resolver on grpc-go 1.33 sends only to READY connections, so the Go client dials a service that
     * only Java servers are registered under, and every one of its calls must be answered by them.
     */
    @Test
    void goClientReachesAJavaServer() {
        String service = UniqueNames.service("gocli");
        AppProcess javaServer = apps.server("J").service(service).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(javaServer);
        etcdctl.awaitEntry(key, REGISTERED_WITHIN);

        goProcess = goPeer.client("client", etcd.endpoint(), service, GO_CALLS, base("go-client"));
        goProcess.awaitLine(CLIENT_DONE, ItEnvironment.JVM_START);
        List<String> lines = goProcess.lines();
        List<String> replies = EchoOutput.replies(lines);
        assertThat(lines).as("the Go client's output (stderr %s)", goProcess.errLines())
                .noneMatch(line -> line.startsWith("ERROR"));
        assertThat(replies).as("replies to the Go client on etcd:///%s", service).hasSize(GO_CALLS)
                .containsOnly("J");
        assertThat(goProcess.awaitExit(Duration.ofSeconds(10))).as("the Go client's exit code").isZero();
        System.out.printf("CompatGoInteropTest: the Go client (etcd resolver) got %d/%d replies from the Java "
                + "server %s%n", replies.size(), GO_CALLS, key);
    }

    private Path base(String name) {
        String file = logs.file(name + ".out").toString();
        return Path.of(file.substring(0, file.length() - ".out".length()));
    }
}
