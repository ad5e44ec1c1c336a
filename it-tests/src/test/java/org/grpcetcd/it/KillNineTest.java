package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server killed with -9 runs no shutdown hook: its key goes away when its lease expires, within the TTL. */
class KillNineTest {
    private static final int TTL = 2;

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void keyExpiresWithItsLeaseAfterKillNine() {
        String service = UniqueNames.service("kill9");
        AppProcess server = fixture.apps().server("A").service(service).ttl(TTL).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(10));
        // past a few keep-alive rounds: the key is still there right before the kill
        Poll.sleep(Duration.ofSeconds(TTL + 1));
        assertThat(fixture.etcdctl().exists(key)).as("%s right before kill -9", key).isTrue();

        long killed = System.nanoTime();
        server.kill();
        Duration limit = Duration.ofSeconds(TTL + 2);
        Poll.until(() -> !fixture.etcdctl().exists(key), limit.minusNanos(System.nanoTime() - killed),
                () -> key + " gone within ttl + 2 s = " + limit.toSeconds() + " s after kill -9");
        long tookMs = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        assertThat(tookMs).as("ms from kill -9 until %s was gone", key).isLessThanOrEqualTo(limit.toMillis());
        assertThat(server.errLines()).as("stderr of a JVM killed with -9: nothing revoked the lease")
                .noneMatch(line -> line.contains("revoked lease"));
    }
}
