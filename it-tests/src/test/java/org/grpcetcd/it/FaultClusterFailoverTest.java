package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdCluster;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.faults.KeysMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * With a three-member etcd cluster (127.0.0.1, .2 and .3; heartbeat 100 ms, election 1000 ms) and the agent given
 * all three endpoints, losing the leader, and later another member, costs nothing: the keys stay in etcd under
 * their original leases the whole time (checked by polling the members still alive) and a client calling every
 * 20 ms never fails. At most one member is down at a time, so the cluster always keeps its quorum.
 */
class FaultClusterFailoverTest {
    private static final int TTL = 3;
    /** Each member stays down longer than the TTL: a lease not renewed through the survivors would expire. */
    private static final Duration MEMBER_DOWN = Duration.ofSeconds(TTL + 1);

    private static EtcdCluster cluster;
    private Apps apps;

    @BeforeAll
    static void startCluster() {
        cluster = EtcdCluster.threeMembers(TestLogs.of(FaultClusterFailoverTest.class));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void setUp(TestInfo test) {
        apps = new Apps(TestLogs.of(test), cluster.endpoints());
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    @Test
    void killingTheLeaderThenAnotherMemberLosesNoRegistrationAndNoCall() {
        String service = UniqueNames.service("failover");
        EtcdCtl etcdctl = new EtcdCtl(cluster.endpoints());
        AppProcess a = apps.server("A").service(service).ttl(TTL).start();
        AppProcess b = apps.server("B").service(service).ttl(TTL).start();
        List<String> keys = List.of(service + "/127.0.0.1:" + EchoOutput.awaitReady(a),
                service + "/127.0.0.1:" + EchoOutput.awaitReady(b));
        keys.forEach(key -> etcdctl.awaitEntry(key, Duration.ofSeconds(15)));
        Map<String, Long> leases = etcdctl.entries(service + "/").values().stream()
                .collect(Collectors.toMap(EtcdEntry::key, EtcdEntry::lease));
        AppProcess client = apps.client("client", "etcd:///" + service, "20").start();
        Poll.until(() -> EchoOutput.replies(client).containsAll(List.of("A", "B")), ItEnvironment.JVM_START,
                Duration.ofMillis(50), () -> "the client reaching both A and B; its output: " + client.lines());

        try (KeysMonitor monitor = new KeysMonitor(() -> cluster.members().stream().filter(EtcdServer::isRunning)
                .collect(Collectors.toList()), service + "/", keys.stream().collect(Collectors.toSet())).start()) {
            EtcdServer firstLeader = cluster.awaitLeader(Duration.ofSeconds(10));
            long firstElection = killAndAwaitNewLeader(firstLeader);
            Poll.sleep(MEMBER_DOWN);
            firstLeader.start();

            // another member: the leader now if that is not the one just back, else any other live member
            EtcdServer leaderNow = cluster.awaitLeader(Duration.ofSeconds(10));
            EtcdServer second = leaderNow != firstLeader ? leaderNow : cluster.members().stream()
                    .filter(member -> member != firstLeader).findFirst().orElseThrow();
            boolean secondWasLeader = second == leaderNow;
            long secondElection = killAndAwaitNewLeader(second);
            Poll.sleep(MEMBER_DOWN);
            second.start();
            Poll.sleep(Duration.ofSeconds(TTL)); // one more TTL with all three members back

            monitor.close();
            List<String> errors = EchoOutput.errors(client);
            Map<String, Long> leasesAfter = etcdctl.entries(service + "/").values().stream()
                    .collect(Collectors.toMap(EtcdEntry::key, EtcdEntry::lease));
            System.out.printf("FaultClusterFailoverTest: killed leader %s (new leader after %d ms), down %d ms; "
                    + "then killed %s (%s, new leader after %d ms), down %d ms; %s; leases before %s, after %s; "
                    + "%d ERROR lines in %d client lines%n", firstLeader.name(), firstElection,
                    MEMBER_DOWN.toMillis(), second.name(), secondWasLeader ? "the leader then" : "a follower",
                    secondElection, MEMBER_DOWN.toMillis(), monitor, hex(leases), hex(leasesAfter), errors.size(),
                    client.lines().size());
            assertThat(monitor.misses()).as("checks of a live member that lacked a key (%s)", monitor).isEmpty();
            assertThat(monitor.answered()).as("checks answered by a live member (%s)", monitor)
                    .isGreaterThanOrEqualTo(20);
            // a key lost between two checks would have been put back under a new lease: the leases cover the gaps
            assertThat(leasesAfter).as("keys and their leases at the end vs at the start: never lost, never "
                    + "granted anew").isEqualTo(leases);
            assertThat(monitor.longestGapMillis()).as("longest time without an answered check (%s)", monitor)
                    .isLessThan(5000);
            assertThat(errors).as("ERROR lines of the client over both failovers").isEmpty();
            for (AppProcess server : List.of(a, b)) {
                assertThat(server.errLines()).as("stderr of %s", server)
                        .noneMatch(line -> line.contains("registering again under a new lease"));
            }
        }
        int repliesNow = EchoOutput.replies(client).size();
        EchoOutput.awaitReplies(client, repliesNow + 10, Duration.ofSeconds(10));
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client at the end").isEmpty();
    }

    /** Kills {@code member} and waits for a leader among the others; returns the ms that took. */
    private static long killAndAwaitNewLeader(EtcdServer member) {
        long killed = System.nanoTime();
        member.kill();
        EtcdServer next = cluster.awaitLeader(Duration.ofSeconds(15));
        assertThat(next).as("leader after killing %s", member).isNotSameAs(member);
        return Duration.ofNanos(System.nanoTime() - killed).toMillis();
    }

    private static Map<String, String> hex(Map<String, Long> leases) {
        return leases.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> Long.toHexString(entry.getValue())));
    }
}
