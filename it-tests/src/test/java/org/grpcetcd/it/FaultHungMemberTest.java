package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdCluster;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.faults.KeysMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hung member: in a three-member cluster, the member that carries the client's watch is paused (docker pause),
 * its TCP connections open and silent, while a client calls every 20 ms. The watch moves to a healthy member within
 * the agent's keepalive ping interval + timeout (10 s + 5 s, README), the servers' leases are renewed through the
 * others, no call fails; once unpaused, nothing is doubled.
 */
class FaultHungMemberTest {
    private static final String WATCH_STREAMS = "etcd_debugging_mvcc_watch_stream_total";
    /** The agent's keepalive ping interval + timeout, and some room for the re-watch on a loaded machine. */
    private static final Duration WATCH_MOVES_WITHIN = Duration.ofSeconds(10 + 5 + 10);
    private static final int TTL = 10;

    @RegisterExtension
    static final EtcdAndApps<EtcdCluster> fixture = EtcdAndApps.threeMembers();

    @Test
    void pausingTheMemberWithTheWatchMovesItAndLosesNoRegistrationAndNoCall() {
        EtcdCluster cluster = fixture.etcd();
        String service = UniqueNames.service("hung");
        AppProcess a = fixture.apps().server("A").service(service).ttl(TTL).start();
        AppProcess b = fixture.apps().server("B").service(service).ttl(TTL).start();
        Set<String> keys = Set.of(service + "/127.0.0.1:" + EchoOutput.awaitReady(a),
                service + "/127.0.0.1:" + EchoOutput.awaitReady(b));
        EtcdCtl anyMember = new EtcdCtl(cluster.endpoints());
        keys.forEach(key -> anyMember.awaitEntry(key, Duration.ofSeconds(30)));
        Map<String, Long> leases = leases(anyMember, service);
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "20").start();
        Poll.until(() -> EchoOutput.replies(client).containsAll(List.of("A", "B")), ItEnvironment.JVM_START,
                Duration.ofMillis(50), () -> "the client reaching A and B; its output: " + client.lines());
        int clientLinesAtStart = client.lines().size(); // its cold start is not this test's subject
        EtcdServer watched = Poll.untilPresent(() -> memberWithWatch(cluster.members()), Duration.ofSeconds(10),
                "a member with the client's watch stream");

        List<EtcdServer> healthy = cluster.members().stream().filter(member -> member != watched)
                .collect(Collectors.toList());
        EtcdCtl healthyCtl = new EtcdCtl(healthy.get(0));
        long pausedAt;
        long movedAfterMillis;
        try (KeysMonitor monitor = new KeysMonitor(() -> healthy, service + "/", keys).start()) {
            watched.pause();
            pausedAt = System.nanoTime();
            EtcdServer now = Poll.untilPresent(() -> memberWithWatch(healthy), WATCH_MOVES_WITHIN,
                    "the client's watch on a healthy member after pausing " + watched.name());
            movedAfterMillis = Duration.ofNanos(System.nanoTime() - pausedAt).toMillis();
            // a server that starts now reaches the client through the moved watch
            AppProcess c = fixture.apps().server("C").service(service).ttl(TTL).start();
            EchoOutput.awaitReady(c);
            Poll.until(() -> EchoOutput.replies(client).contains("C"), Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> "the client reaching C, registered while " + watched.name() + " hangs; watch now on "
                            + now.name());
            // longer than a TTL with the member hung: the leases were renewed through the others
            Poll.sleep(Duration.ofNanos(Math.max(0, Duration.ofSeconds(TTL + 2).toNanos()
                    - (System.nanoTime() - pausedAt))));
            monitor.close();
            System.out.printf("FaultHungMemberTest: paused %s (it had the watch); the watch was on %s after %d ms;"
                    + " %s%n", watched.name(), now.name(), movedAfterMillis, monitor);
            assertThat(monitor.misses()).as("checks of a healthy member that lacked a key (%s)", monitor).isEmpty();
        } finally {
            watched.unpause();
        }
        Poll.sleep(Duration.ofSeconds(3));
        assertThat(leases(healthyCtl, service)).as("keys of A and B and their leases after the pause")
                .containsAllEntriesOf(leases);
        assertThat(healthyCtl.entries(service + "/")).as("keys under %s/ after the unpause", service).hasSize(3);
        assertThat(errorsSince(client, clientLinesAtStart)).as("ERROR lines of the client").isEmpty();
        int repliesNow = EchoOutput.replies(client).size();
        EchoOutput.awaitReplies(client, repliesNow + 20, Duration.ofSeconds(10));
        assertThat(errorsSince(client, clientLinesAtStart)).as("ERROR lines of the client at the end").isEmpty();
    }

    private static List<String> errorsSince(AppProcess client, int fromLine) {
        List<String> lines = client.lines();
        return lines.subList(fromLine, lines.size()).stream().filter(line -> EchoOutput.ERROR.matcher(line).find())
                .collect(Collectors.toList());
    }

    private static Map<String, Long> leases(EtcdCtl etcdctl, String service) {
        return etcdctl.entries(service + "/").values().stream().collect(Collectors.toMap(EtcdEntry::key,
                EtcdEntry::lease));
    }

    /** The one member whose metrics show a watch stream (only the client watches), if exactly one does. */
    private static Optional<EtcdServer> memberWithWatch(List<EtcdServer> members) {
        List<EtcdServer> watching = members.stream().filter(member -> member.metric(WATCH_STREAMS) > 0)
                .collect(Collectors.toList());
        return watching.size() == 1 ? Optional.of(watching.get(0)) : Optional.empty();
    }
}
