package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.LeaseTtl;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A started server is put in etcd as {@code <service>/<host>:<port>} with Go's naming JSON as value, under a
 * lease of the configured TTL that the agent keeps alive.
 */
class RegistrationTest {
    private static final int TTL = 3;
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void twoServersAreRegisteredWithTheExactValueUnderALeaseOfTheConfiguredTtl() {
        String service = UniqueNames.service("reg");
        AppProcess a = fixture.apps().server("A").service(service).ttl(TTL).start();
        AppProcess b = fixture.apps().server("B").service(service).ttl(TTL).start();
        int portA = EchoOutput.awaitReady(a);
        int portB = EchoOutput.awaitReady(b);

        for (int port : new int[] {portA, portB}) {
            String hostPort = "127.0.0.1:" + port;
            EtcdEntry entry = fixture.etcdctl().awaitEntry(service + "/" + hostPort, REGISTERED_WITHIN);
            assertThat(entry.valueBytes()).as("value of %s", entry.key())
                    .isEqualTo(("{\"Op\":0,\"Addr\":\"" + hostPort + "\",\"Metadata\":null}")
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(entry.lease()).as("lease of %s", entry.key()).isNotZero();
            LeaseTtl ttl = fixture.etcdctl().leaseTtl(entry.lease());
            assertThat(ttl.granted()).as("granted TTL of the lease of %s (%s)", entry.key(), ttl).isEqualTo(TTL);
        }
        assertThat(fixture.etcdctl().entries(service + "/")).as("keys under %s/", service).hasSize(2);
        // the log line follows the put: wait for it rather than race it
        a.awaitErrLine(Pattern.compile("INFO registered " + Pattern.quote(service + "/127.0.0.1:" + portA)
                + " \\(lease [0-9a-f]+, ttl " + TTL + "s\\)"), REGISTERED_WITHIN);
    }

    @Test
    void theKeyOutlivesTwiceItsTtlBecauseTheLeaseIsKeptAlive() {
        String service = UniqueNames.service("keepalive");
        AppProcess server = fixture.apps().server("A").service(service).ttl(TTL).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        EtcdEntry first = fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);

        long begin = System.nanoTime();
        Duration watched = Duration.ofMillis(2 * TTL * 1000L + 1500);
        while (System.nanoTime() - begin < watched.toNanos()) {
            Map<String, EtcdEntry> now = fixture.etcdctl().entries(key);
            assertThat(now).as("%s, %d ms after it was first seen (ttl %ds)", key,
                    Duration.ofNanos(System.nanoTime() - begin).toMillis(), TTL).containsKey(key);
            Poll.sleep(Duration.ofMillis(200));
        }
        assertThat(fixture.etcdctl().get(key)).as("%s after %d ms", key, watched.toMillis()).isPresent();
        LeaseTtl ttl = fixture.etcdctl().leaseTtl(fixture.etcdctl().get(key).orElseThrow().lease());
        assertThat(ttl.remaining()).as("remaining TTL of the lease of %s (%s)", key, ttl).isPositive();
        assertThat(fixture.etcdctl().get(key).orElseThrow().lease()).as("lease of %s", key).isEqualTo(first.lease());
    }
}
