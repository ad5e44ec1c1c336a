package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A channel on {@code etcd:///<service>} spreads calls round-robin over every registered server. */
class RoundRobinResolutionTest {
    private static final int FIRST_REPLIES = 40;
    private static final int ALL_REPLIES = 100;

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void callsAlternateBetweenBothServers() {
        String service = UniqueNames.service("rr");
        EtcdCtl etcdctl = fixture.etcdctl();
        AppProcess a = fixture.apps().server("A").service(service).start();
        AppProcess b = fixture.apps().server("B").service(service).start();
        etcdctl.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(a), Duration.ofSeconds(10));
        etcdctl.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(b), Duration.ofSeconds(10));

        AppProcess client = fixture.apps().client("client", "etcd:///" + service).start();
        client.awaitLine(java.util.regex.Pattern.compile("^CLIENT-READY"), ItEnvironment.JVM_START);
        List<String> replies = EchoOutput.awaitReplies(client, ALL_REPLIES, Duration.ofSeconds(60))
                .subList(0, ALL_REPLIES);

        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        assertThat(replies.subList(0, FIRST_REPLIES)).as("the first %d replies", FIRST_REPLIES).contains("A", "B");
        int bothSeen = Math.max(replies.indexOf("A"), replies.indexOf("B"));
        List<String> afterBoth = replies.subList(bothSeen, replies.size());
        long fromA = afterBoth.stream().filter("A"::equals).count();
        long fromB = afterBoth.stream().filter("B"::equals).count();
        assertThat(fromA + fromB).isEqualTo(afterBoth.size());
        assertThat(fromA * 4).as("replies from A (%d of %d after both appeared: %s)", fromA, afterBoth.size(),
                afterBoth).isGreaterThanOrEqualTo(afterBoth.size());
        assertThat(fromB * 4).as("replies from B (%d of %d after both appeared: %s)", fromB, afterBoth.size(),
                afterBoth).isGreaterThanOrEqualTo(afterBoth.size());
    }
}
