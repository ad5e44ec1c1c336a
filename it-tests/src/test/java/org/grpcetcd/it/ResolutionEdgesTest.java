package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resolution of {@code etcd:///<service>} at its edges: no server yet, etcd going away and coming back, keys
 * written by others (plain {@code host:port}) and garbage values.
 */
class ResolutionEdgesTest {
    private static final Pattern CLIENT_READY = Pattern.compile("^CLIENT-READY ");

    /** Its etcd is shared by the tests that leave etcd running; the one that kills etcd has its own. */
    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();
    private TestLogs logs;
    private EtcdServer ownEtcd;

    @BeforeEach
    void setUp(TestInfo test) {
        logs = TestLogs.of(test);
    }

    @AfterEach
    void stopOwnEtcd() {
        if (ownEtcd != null) {
            ownEtcd.close();
        }
    }

    @Test
    void callsMadeBeforeAnyServerWaitAndSucceedOnceOneRegisters() {
        String service = UniqueNames.service("early");
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "50", String.valueOf(Long.MAX_VALUE),
                "15000").start();
        client.awaitLine(CLIENT_READY, ItEnvironment.JVM_START);
        Poll.sleep(Duration.ofMillis(1500)); // the first call is now waiting for endpoints
        assertThat(client.lines()).as("client output before any server exists").hasSize(1);

        long serverStart = System.nanoTime();
        AppProcess server = fixture.apps().server("A").service(service).start();
        EchoOutput.awaitReady(server);
        long firstCallAgeMs = Duration.ofNanos(System.nanoTime() - serverStart).toMillis() + 1500;
        client.awaitLine(EchoOutput.REPLY, Duration.ofSeconds(15));
        List<String> lines = client.lines();
        assertThat(lines.get(1)).as("the client's first call (started ~%d ms before the server was READY)",
                firstCallAgeMs).isEqualTo("REPLY A");
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
    }

    @Test
    void clientKeepsItsEndpointsWhileEtcdIsDownAndFollowsChangesAfterItReturns() {
        ownEtcd = EtcdServer.started(logs.file("etcd.log"));
        EtcdCtl etcdctl = new EtcdCtl(ownEtcd);
        Apps ownApps = new Apps(logs, ownEtcd.endpoint());
        try {
            String service = UniqueNames.service("etcddown");
            AppProcess first = ownApps.server("A").service(service).start();
            etcdctl.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(first), Duration.ofSeconds(10));
            AppProcess client = ownApps.client("client", "etcd:///" + service).start();
            EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);

            ownEtcd.kill();
            int repliesAtKill = EchoOutput.replies(client).size();
            Poll.sleep(Duration.ofSeconds(3));
            int repliesWhileDown = EchoOutput.replies(client).size() - repliesAtKill;
            assertThat(EchoOutput.errors(client)).as("ERROR lines of the client while etcd was down").isEmpty();
            // one call every 50 ms: ~60 in 3 s; a loaded machine still makes well over 10
            assertThat(repliesWhileDown).as("replies in the 3 s etcd was down").isGreaterThanOrEqualTo(10);
            assertThat(EchoOutput.replies(client).subList(repliesAtKill, repliesAtKill + repliesWhileDown))
                    .containsOnly("A");

            ownEtcd.start();
            AppProcess second = ownApps.server("B").service(service).start();
            etcdctl.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(second), Duration.ofSeconds(15));
            long registered = System.nanoTime();
            Poll.until(() -> EchoOutput.replies(client).contains("B"), Duration.ofSeconds(15), Duration.ofMillis(50),
                    () -> "the client reaching B (registered after etcd came back) within 15 s; client stderr: "
                            + client.errLines());
            System.out.printf("ResolutionEdgesTest: client reached B %d ms after B was in etcd%n",
                    Duration.ofNanos(System.nanoTime() - registered).toMillis());
            assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        } finally {
            ownApps.close();
        }
    }

    @Test
    void plainHostPortValuesAreUsedAndGarbageIsSkippedWithOneWarning() {
        String service = UniqueNames.service("foreign");
        EtcdCtl etcdctl = fixture.etcdctl();
        AppProcess plain = fixture.apps().server("P").withoutAgent().start();
        int plainPort = EchoOutput.awaitReady(plain);
        String garbageKey = service + "/garbage";
        etcdctl.put(garbageKey, "not-an-address");
        etcdctl.put(service + "/by-hand", "127.0.0.1:" + plainPort);

        AppProcess client = fixture.apps().client("client", "etcd:///" + service).start();
        List<String> replies = EchoOutput.awaitReplies(client, 20, ItEnvironment.JVM_START);
        assertThat(replies).as("replies over a key holding a plain host:port").containsOnly("P");

        // a second server, also not registered by the agent, arrives through the watch next to the garbage
        AppProcess plain2 = fixture.apps().server("Q").withoutAgent().start();
        etcdctl.put(service + "/by-hand-2", "127.0.0.1:" + EchoOutput.awaitReady(plain2));
        Poll.until(() -> EchoOutput.replies(client).contains("Q"), Duration.ofSeconds(15), Duration.ofMillis(50),
                () -> "the client reaching Q, put under the prefix while it ran; client stderr: " + client.errLines());

        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        List<String> warnings = client.errLines().stream().filter(line -> line.contains(" WARN "))
                .collect(Collectors.toList());
        assertThat(warnings).as("WARN lines of the client").hasSize(1);
        assertThat(warnings.get(0)).contains(garbageKey);
    }
}
