package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.OutputLine;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Servers coming and going under load: a rolling restart with the default settings fails no call, and a server
 * killed with -9 costs at most the calls in flight on it, its key leaving etcd with its lease.
 */
class FaultDeployTest {
    private static final Pattern STOPPED = Pattern.compile("^STOPPED$");
    private static final String CLIENT_INTERVAL_MS = "10";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.singleMember();

    @Test
    void rollingRestartOfThreeServersUnderLoadWithDefaultSettingsFailsNoCall() {
        String service = UniqueNames.service("deploy");
        List<AppProcess> servers = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String name : List.of("A1", "B1", "C1")) {
            servers.add(fixture.apps().server(name).service(service).start()); // default ttl, drain-ms 1000
        }
        for (AppProcess server : servers) {
            keys.add(awaitRegistered(service, server));
        }
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, CLIENT_INTERVAL_MS).start();
        awaitRepliesFrom(client, List.of("A1", "B1", "C1"), ItEnvironment.JVM_START);

        List<String> restarts = new ArrayList<>();
        List<String> newNames = List.of("A2", "B2", "C2");
        for (int i = 0; i < servers.size(); i++) {
            AppProcess old = servers.get(i);
            long begin = System.nanoTime();
            old.send("stop");
            OutputLine stopped = old.awaitOutputLine(STOPPED, Duration.ofSeconds(30));
            assertThat(fixture.etcdctl().exists(keys.get(i))).as("%s in etcd once %s printed STOPPED", keys.get(i), old)
                    .isFalse();
            AppProcess replacement = fixture.apps().server(newNames.get(i)).service(service).start();
            String key = awaitRegistered(service, replacement);
            long registered = System.nanoTime();
            awaitRepliesFrom(client, List.of(newNames.get(i)), Duration.ofSeconds(15));
            restarts.add(old.name() + "->" + replacement.name() + ": stopped after "
                    + Duration.ofNanos(stopped.seenAtNanos() - begin).toMillis() + " ms, new one registered after "
                    + Duration.ofNanos(registered - begin).toMillis() + " ms");
            servers.set(i, replacement);
            keys.set(i, key);
        }
        int repliesNow = EchoOutput.replies(client).size();
        EchoOutput.awaitReplies(client, repliesNow + 30, Duration.ofSeconds(15));
        List<String> replies = EchoOutput.replies(client);
        List<String> latest = replies.subList(repliesNow, replies.size());
        List<String> errors = EchoOutput.errors(client);
        System.out.printf("FaultDeployTest: rolling restart under load (a call every %s ms): %s; %d replies, "
                + "%d ERROR lines%n", CLIENT_INTERVAL_MS, restarts, replies.size(), errors.size());
        assertThat(errors).as("ERROR lines of the client over the rolling restart").isEmpty();
        assertThat(latest).as("replies after the rolling restart").isSubsetOf(newNames);
        assertThat(fixture.etcdctl().entries(service + "/").keySet()).as("keys under %s/ after the rolling restart",
                service).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void killNineOfOneOfThreeServersUnderLoadCostsAtMostAHandfulOfCalls() {
        int ttl = 2;
        String service = UniqueNames.service("crash");
        List<AppProcess> servers = new ArrayList<>();
        for (String name : List.of("K1", "K2", "K3")) {
            servers.add(fixture.apps().server(name).service(service).ttl(ttl).start());
        }
        List<String> keys = new ArrayList<>();
        for (AppProcess server : servers) {
            keys.add(awaitRegistered(service, server));
        }
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, CLIENT_INTERVAL_MS).start();
        awaitRepliesFrom(client, List.of("K1", "K2", "K3"), ItEnvironment.JVM_START);
        Poll.sleep(Duration.ofSeconds(1)); // load on all three for a while

        int linesAtKill = client.lines().size();
        long killed = System.nanoTime();
        servers.get(1).kill();
        Duration limit = Duration.ofSeconds(ttl + 2);
        Poll.until(() -> !fixture.etcdctl().exists(keys.get(1)), limit.minusNanos(System.nanoTime() - killed),
                () -> keys.get(1) + " gone within ttl + 2 s = " + limit.toMillis() + " ms after kill -9");
        long goneMs = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        int linesAtGone = client.lines().size();
        EchoOutput.awaitReplies(client, EchoOutput.replies(client).size() + 50, Duration.ofSeconds(15));
        List<String> lines = client.lines();
        List<String> afterGone = EchoOutput.replies(lines.subList(linesAtGone, lines.size()));
        List<String> errors = EchoOutput.errors(client);
        System.out.printf("FaultDeployTest: kill -9 of K2 under load (a call every %s ms): %d ERROR lines %s; "
                + "its key gone %d ms after the kill (limit %d ms); %d client lines between kill and key gone%n",
                CLIENT_INTERVAL_MS, errors.size(), errors, goneMs, limit.toMillis(), linesAtGone - linesAtKill);
        assertThat(errors).as("ERROR lines of the client around the kill -9 (in-flight calls at most)")
                .hasSizeLessThanOrEqualTo(5);
        assertThat(afterGone).as("replies after K2's key left etcd").isNotEmpty().containsOnly("K1", "K3");
        assertThat(goneMs).as("ms from kill -9 until %s was gone", keys.get(1)).isLessThanOrEqualTo(limit.toMillis());
        assertThat(fixture.etcdctl().exists(keys.get(0)) && fixture.etcdctl().exists(keys.get(2)))
                .as("keys of K1 and K3 still there").isTrue();
    }

    private static String awaitRegistered(String service, AppProcess server) {
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(15));
        return key;
    }

    private static void awaitRepliesFrom(AppProcess client, List<String> names, Duration timeout) {
        Poll.until(() -> EchoOutput.replies(client).containsAll(names), timeout, Duration.ofMillis(50),
                () -> "the client reaching " + names + "; its last lines: " + tail(client.lines()));
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 10), lines.size());
    }
}
