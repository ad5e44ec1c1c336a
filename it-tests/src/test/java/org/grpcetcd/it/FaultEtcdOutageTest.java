package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Registrations survive whatever happens to etcd's side of them: etcd killed for longer than the TTL and
 * restarted on its data, etcd restarted empty (its data lost), a lease revoked or a key deleted by an operator.
 * Registrations come back within the promised time and clients calling all along never see a failed call.
 */
class FaultEtcdOutageTest {
    private static final int TTL = 2;
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(15);
    private static final String CLIENT_INTERVAL_MS = "20";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.singleMember();

    @BeforeEach
    void restartEtcd() {
        if (!fixture.etcd().isRunning()) {
            fixture.etcd().start(); // a test that failed half-way left it down
        }
    }

    @Test
    void etcdKilledForLongerThanTheTtlThenRestartedOnItsDataLosesNoCallAndNoRegistration() {
        String service = UniqueNames.service("outage");
        Cast cast = twoServersAndAClient(service);

        Map<String, Long> leasesBefore = leases(cast.keys);
        int repliesBefore = EchoOutput.replies(cast.client).size();
        long killed = System.nanoTime();
        fixture.etcd().kill();
        Duration outage = Duration.ofSeconds(TTL + 2); // longer than the TTL: an unrenewed lease would be gone
        Poll.sleep(outage);
        int repliesDuringOutage = EchoOutput.replies(cast.client).size() - repliesBefore;
        assertThat(cast.clientErrors()).as("ERROR lines of the client while etcd was down").isEmpty();
        // one call every 20 ms for 4 s: ~200 on a quiet machine; a loaded one still makes well over 20
        assertThat(repliesDuringOutage).as("replies while etcd was down for %d ms", outage.toMillis())
                .isGreaterThanOrEqualTo(20);

        fixture.etcd().start(); // returns once /health says true
        long healthy = System.nanoTime();
        long downMs = Duration.ofNanos(healthy - killed).toMillis();
        Map<String, Long> backAfterMs = awaitAllBack(cast.keys, healthy, Duration.ofSeconds(2),
                "within 2 s of etcd being healthy again after " + downMs + " ms down (ttl " + TTL + "s)");

        // still there three TTLs later: the leases are renewed again, not just surviving on borrowed time
        int rounds = assertKeysStayFor(cast.keys, Duration.ofSeconds(3L * TTL));
        // etcd restarted on its data keeps its leases: the agent renewed the same ones, nothing was re-registered
        assertThat(leases(cast.keys)).as("leases of the keys after the outage vs before").isEqualTo(leasesBefore);
        int repliesAtEnd = EchoOutput.replies(cast.client).size();
        Poll.until(() -> {
            List<String> replies = EchoOutput.replies(cast.client); // one snapshot: the client keeps printing
            return replies.subList(repliesAtEnd, replies.size()).containsAll(List.of("A", "B"));
        }, Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> "the client reaching both A and B after etcd came back; its last lines: " + tail(cast.client));
        List<String> errors = cast.clientErrors();
        System.out.printf("FaultEtcdOutageTest: etcd killed, down %d ms (ttl %ds); %d replies and %d ERROR lines "
                + "while down; registrations back %s ms after etcd was healthy; present in all %d checks over "
                + "%d s after; %d ERROR lines in %d client lines overall%n", downMs, TTL, repliesDuringOutage,
                errors.size(), backAfterMs, rounds, 3 * TTL, errors.size(), cast.client.lines().size());
        assertThat(errors).as("ERROR lines of the client during and after the outage").isEmpty();
        for (AppProcess server : cast.servers) {
            assertThat(server.isAlive()).as("%s alive", server).isTrue();
            // the outage is one episode: one WARN when it began and one INFO when it ended, not one per retry
            server.awaitErrLine(Pattern.compile("INFO registering in etcd .* works again"), Duration.ofSeconds(5));
            assertThat(server.errLines().stream().filter(line -> line.contains(" WARN ")))
                    .as("WARN lines of %s over the outage", server).hasSize(1)
                    .allMatch(line -> line.contains("registering in etcd") && line.contains("retrying until it works"));
            assertThat(server.errLines().stream().filter(line -> line.contains("works again")))
                    .as("'works again' lines of %s", server).hasSize(1);
        }
    }

    @Test
    void etcdRestartedWithoutItsDataGetsEveryLiveServerBackWithinTtlPlusTwoSeconds() {
        String service = UniqueNames.service("dataloss");
        Cast cast = twoServersAndAClient(service);
        Map<String, Long> leasesBefore = leases(cast.keys);

        fixture.etcd().stop();
        fixture.etcd().wipeData();
        assertThat(fixture.etcd().hasData()).as("data directory of %s after wiping it", fixture.etcd()).isFalse();
        fixture.etcd().start(); // a new, empty etcd on the same ports
        long healthy = System.nanoTime();
        // (the agent may put the keys back before etcdctl can look: the new leases below show they were lost)
        Duration limit = Duration.ofSeconds(TTL + 2);
        Map<String, Long> backAfterMs = awaitAllBack(cast.keys, healthy, limit,
                "within ttl + 2 s = " + limit.toMillis() + " ms of the empty etcd being healthy");
        for (String key : cast.keys) {
            EtcdEntry entry = fixture.etcdctl().get(key).orElseThrow();
            assertThat(entry.lease()).as("lease of %s in the new etcd", key).isNotZero();
            assertThat(entry.lease()).as("lease of %s in the new etcd vs before", key)
                    .isNotEqualTo(leasesBefore.get(key));
            assertThat(fixture.etcdctl().leaseTtl(entry.lease()).granted())
                    .as("granted ttl of the new lease of %s", key).isEqualTo(TTL);
        }
        int rounds = assertKeysStayFor(cast.keys, Duration.ofSeconds(TTL + 1));
        for (AppProcess server : cast.servers) {
            server.awaitErrLine(Pattern.compile("WARN lease [0-9a-f]+ is gone from etcd; registering again"),
                    Duration.ofSeconds(5));
        }
        List<String> errors = cast.clientErrors();
        System.out.printf("FaultEtcdOutageTest: etcd restarted empty; registrations back %s ms after it was "
                + "healthy (limit %d ms); present in all %d checks over %d s after; %d client ERROR lines%n",
                backAfterMs, limit.toMillis(), rounds, TTL + 1, errors.size());
        assertThat(errors).as("ERROR lines of the client while etcd lost its data").isEmpty();
    }

    @Test
    void leaseRevokedAndKeyDeletedByAnOperatorAreBothPutBackWithinTtlPlusTwoSeconds() {
        String service = UniqueNames.service("operator");
        AppProcess server = fixture.apps().server("A").service(service).ttl(TTL).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        EtcdEntry first = fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        Duration limit = Duration.ofSeconds(TTL + 2);

        long revoked = System.nanoTime();
        fixture.etcdctl().run("lease", "revoke", first.leaseHex());
        assertThat(fixture.etcdctl().exists(key)).as("%s right after etcdctl lease revoke %s", key, first.leaseHex())
                .isFalse();
        EtcdEntry afterRevoke = fixture.etcdctl().awaitEntry(key, limit.minusNanos(System.nanoTime() - revoked));
        long revokeBackMs = Duration.ofNanos(System.nanoTime() - revoked).toMillis();
        assertThat(revokeBackMs).as("ms from lease revoke until %s was back", key)
                .isLessThanOrEqualTo(limit.toMillis());
        assertThat(afterRevoke.lease()).as("lease of %s after the old one was revoked", key)
                .isNotEqualTo(first.lease()).isNotZero();

        long deleted = System.nanoTime();
        fixture.etcdctl().run("del", key);
        assertThat(fixture.etcdctl().exists(key)).as("%s right after etcdctl del", key).isFalse();
        EtcdEntry afterDelete = fixture.etcdctl().awaitEntry(key, limit.minusNanos(System.nanoTime() - deleted));
        long deleteBackMs = Duration.ofNanos(System.nanoTime() - deleted).toMillis();
        assertThat(deleteBackMs).as("ms from etcdctl del until %s was back", key)
                .isLessThanOrEqualTo(limit.toMillis());
        assertThat(afterDelete.lease()).as("lease of %s put back while its lease lives", key)
                .isEqualTo(afterRevoke.lease());
        server.awaitErrLine(Pattern.compile("WARN " + Pattern.quote(key)
                + " was deleted from etcd while its server runs; putting it back"), Duration.ofSeconds(5));
        int rounds = assertKeysStayFor(List.of(key), Duration.ofSeconds(TTL + 1));
        System.out.printf("FaultEtcdOutageTest: %s back %d ms after its lease was revoked and %d ms after it was "
                + "deleted (limit %d ms each); present in all %d checks over %d s after%n", key, revokeBackMs,
                deleteBackMs, limit.toMillis(), rounds, TTL + 1);
    }

    private static Map<String, Long> leases(List<String> keys) {
        return keys.stream()
                .collect(Collectors.toMap(key -> key, key -> fixture.etcdctl().get(key).orElseThrow().lease()));
    }

    /** Servers A and B registered with the class TTL and a client calling them every 20 ms through etcd. */
    private Cast twoServersAndAClient(String service) {
        AppProcess a = fixture.apps().server("A").service(service).ttl(TTL).start();
        AppProcess b = fixture.apps().server("B").service(service).ttl(TTL).start();
        List<String> keys = List.of(service + "/127.0.0.1:" + EchoOutput.awaitReady(a),
                service + "/127.0.0.1:" + EchoOutput.awaitReady(b));
        keys.forEach(key -> fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN));
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, CLIENT_INTERVAL_MS).start();
        Poll.until(() -> EchoOutput.replies(client).containsAll(List.of("A", "B")), ItEnvironment.JVM_START,
                Duration.ofMillis(50), () -> "the client reaching both A and B; its output: " + tail(client));
        return new Cast(List.of(a, b), keys, client, client.lines().size());
    }

    /** Polls until every key is in etcd, at most {@code limit} after {@code since}; returns when each was seen. */
    private static Map<String, Long> awaitAllBack(List<String> keys, long since, Duration limit, String what) {
        Map<String, Long> backAfterMs = new LinkedHashMap<>();
        Poll.until(() -> {
            Map<String, EtcdEntry> now =
                    fixture.etcdctl().entries(keys.get(0).substring(0, keys.get(0).indexOf('/') + 1));
            long at = Duration.ofNanos(System.nanoTime() - since).toMillis();
            keys.stream().filter(now::containsKey).forEach(key -> backAfterMs.putIfAbsent(key, at));
            return backAfterMs.size() == keys.size();
        }, limit.minusNanos(System.nanoTime() - since), () -> "every key of " + keys + " back in etcd " + what
                + "; back so far: " + backAfterMs);
        backAfterMs.forEach((key, ms) -> assertThat(ms).as("ms until %s was back in etcd %s", key, what)
                .isLessThanOrEqualTo(limit.toMillis()));
        return backAfterMs;
    }

    /** Checks every 200 ms for {@code period} that every key is in etcd; returns the number of checks. */
    private static int assertKeysStayFor(List<String> keys, Duration period) {
        String prefix = keys.get(0).substring(0, keys.get(0).indexOf('/') + 1);
        long begin = System.nanoTime();
        int rounds = 0;
        while (System.nanoTime() - begin < period.toNanos()) {
            Map<String, EtcdEntry> now = fixture.etcdctl().entries(prefix);
            long at = Duration.ofNanos(System.nanoTime() - begin).toMillis();
            assertThat(now.keySet()).as("keys under %s, %d ms into the %d ms they must stay", prefix, at,
                    period.toMillis()).containsAll(keys);
            rounds++;
            Poll.sleep(Duration.ofMillis(200));
        }
        return rounds;
    }

    private static List<String> tail(AppProcess process) {
        List<String> lines = process.lines();
        return lines.subList(Math.max(0, lines.size() - 10), lines.size());
    }

    private static final class Cast {
        final List<AppProcess> servers;
        final List<String> keys;
        final AppProcess client;
        /** Lines the client had printed when it reached both servers: its cold start is not the test's subject. */
        final int clientLinesAtStart;

        Cast(List<AppProcess> servers, List<String> keys, AppProcess client, int clientLinesAtStart) {
            this.servers = servers;
            this.keys = keys;
            this.client = client;
            this.clientLinesAtStart = clientLinesAtStart;
        }

        /** The client's ERROR lines since it reached both servers. */
        List<String> clientErrors() {
            List<String> lines = client.lines();
            return lines.subList(clientLinesAtStart, lines.size()).stream()
                    .filter(line -> EchoOutput.ERROR.matcher(line).find()).collect(Collectors.toList());
        }
    }
}
