package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdCluster;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.FreePorts;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client's view of a service follows etcd through whatever breaks its watch: keys put and deleted by hand
 * (plain {@code 127.0.0.1:<port>} values, some pointing at running servers, some at nothing), compactions, a
 * graceful etcd restart and a kill -9. After each phase, the last {@code DEBUG endpoints under <prefix>: [...]}
 * line of the client (log-level debug) lists exactly the addresses etcd holds under the prefix.
 */
class FaultWatchChurnTest {
    private static final int KEYS = 8;

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.singleMember();

    @Test
    void clientEndsWithExactlyTheAddressesInEtcdAfterChurnCompactionsAndRestarts() {
        String service = UniqueNames.service("churnwatch");
        String prefix = service + "/";
        AppProcess p = fixture.apps().server("P").withoutAgent().start();
        AppProcess q = fixture.apps().server("Q").withoutAgent().start();
        List<String> addresses = new ArrayList<>();
        addresses.add("127.0.0.1:" + EchoOutput.awaitReady(p));
        addresses.add("127.0.0.1:" + EchoOutput.awaitReady(q));
        Arrays.stream(FreePorts.next(3)).forEach(port -> addresses.add("127.0.0.1:" + port)); // nothing listens
        fixture.etcdctl().put(prefix + "k0", addresses.get(0));

        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "50").setting("log-level", "debug")
                .start();
        client.awaitLine(Pattern.compile("^CLIENT-READY "), ItEnvironment.JVM_START);
        Pattern debugList = Pattern.compile("DEBUG endpoints under " + Pattern.quote(prefix) + ": \\[(.*)\\]$");
        List<String> converged = new ArrayList<>();
        converged.add("start " + awaitConverged(client, prefix, debugList, ItEnvironment.JVM_START) + " ms");

        long seed = System.nanoTime();
        Random random = new Random(seed);
        int operations = 0;
        int compactions = 0;

        // phase 1: churn with a compaction in the middle
        operations += churn(prefix, addresses, random, 20);
        compact();
        compactions++;
        operations += churn(prefix, addresses, random, 20);
        converged.add("churn+compaction " + awaitConverged(client, prefix, debugList, Duration.ofSeconds(10)) + " ms");

        // phase 2: graceful restart, churn the moment etcd is back, compaction, churn
        operations += churn(prefix, addresses, random, 10);
        fixture.etcd().stop();
        Poll.sleep(Duration.ofMillis(1500));
        fixture.etcd().start();
        operations += churn(prefix, addresses, random, 10);
        compact();
        compactions++;
        operations += churn(prefix, addresses, random, 10);
        converged.add("graceful restart " + awaitConverged(client, prefix, debugList, Duration.ofSeconds(10))
                + " ms");

        // phase 3: kill -9, churn right after, compactions on both sides of more churn
        operations += churn(prefix, addresses, random, 10);
        fixture.etcd().kill();
        Poll.sleep(Duration.ofMillis(1500));
        fixture.etcd().start();
        operations += churn(prefix, addresses, random, 10);
        compact();
        compactions++;
        operations += churn(prefix, addresses, random, 10);
        compact();
        compactions++;
        converged.add("kill -9 " + awaitConverged(client, prefix, debugList, Duration.ofSeconds(10)) + " ms");

        Set<String> inEtcd = addressesInEtcd(prefix);
        Set<String> lastListed = lastListed(client, debugList).orElseThrow();
        System.out.printf("FaultWatchChurnTest: seed %d, %d puts/deletes, %d compactions, 2 etcd restarts; client "
                + "matched etcd after: %s; at the end etcd holds %s, the client's last DEBUG list %s (%d DEBUG "
                + "endpoint lines)%n", seed, operations, compactions, converged, inEtcd, lastListed,
                debugLines(client, debugList));
        assertThat(lastListed).as("the client's last DEBUG endpoints line vs the addresses under %s in etcd",
                prefix).isEqualTo(inEtcd);
    }

    /** {@code count} random puts and deletes under {@code prefix}, never deleting the last key; returns count. */
    private static int churn(String prefix, List<String> addresses, Random random, int count) {
        for (int i = 0; i < count; i++) {
            String key = prefix + "k" + random.nextInt(KEYS);
            if (random.nextInt(3) == 0 && fixture.etcdctl().entries(prefix).size() > 1) {
                fixture.etcdctl().delete(key);
            } else {
                fixture.etcdctl().put(key, addresses.get(random.nextInt(addresses.size())));
            }
        }
        return count;
    }

    private static void compact() {
        long revision = EtcdCluster.revision(fixture.etcd());
        fixture.etcdctl().run("compaction", String.valueOf(revision));
    }

    /** Polls until the client's last DEBUG list equals what etcd holds; returns the ms that took. */
    private static long awaitConverged(AppProcess client, String prefix, Pattern debugList, Duration timeout) {
        return Poll.until(() -> lastListed(client, debugList).map(addressesInEtcd(prefix)::equals).orElse(false),
                timeout, Duration.ofMillis(50), () -> "the client's last DEBUG endpoints line "
                        + lastListed(client, debugList) + " to list what etcd holds under " + prefix + ": "
                        + addressesInEtcd(prefix) + "; client stderr: " + tail(client.errLines()))
                .toMillis();
    }

    private static Set<String> addressesInEtcd(String prefix) {
        return fixture.etcdctl().entries(prefix).values().stream().map(EtcdEntry::value)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Optional<Set<String>> lastListed(AppProcess client, Pattern debugList) {
        Set<String> last = null;
        for (String line : client.errLines()) {
            Matcher matcher = debugList.matcher(line);
            if (matcher.find()) {
                last = Arrays.stream(matcher.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toCollection(TreeSet::new));
            }
        }
        return Optional.ofNullable(last);
    }

    private static long debugLines(AppProcess client, Pattern debugList) {
        return client.errLines().stream().filter(line -> debugList.matcher(line).find()).count();
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 15), lines.size());
    }
}
