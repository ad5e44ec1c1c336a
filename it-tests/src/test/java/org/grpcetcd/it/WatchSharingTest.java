package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.TcpConnections;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A JVM that dials several services watches them all on one connection to etcd, and a change to any of them
 * still reaches its channel, also after the shared watch was replaced as later channels came.
 */
class WatchSharingTest {
    private static final int SERVICES = 5;
    /** One streaming watch request, plus the pooled connection the gets and lease calls use. */
    private static final int MAX_CONNECTIONS = 2;
    private static final Duration CHANGE_SEEN = Duration.ofSeconds(10);

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void severalServicesShareOneWatchConnection() {
        String base = UniqueNames.service("share");
        EtcdCtl etcdctl = fixture.etcdctl();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            String service = base + "-" + i;
            AppProcess server = fixture.apps().server("A" + i).service(service).start();
            etcdctl.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(server), CHANGE_SEEN);
            targets.add("etcd:///" + service);
        }
        List<String> clientArgs = new ArrayList<>(List.of("200")); // a pause between channels: one new watch each
        clientArgs.addAll(targets);
        AppProcess client = fixture.apps().app("client", "org.grpcetcd.it.apps.ManyServicesClient")
                .args(clientArgs.toArray(new String[0])).start();
        client.awaitLine(Pattern.compile("^CLIENT-READY"), ItEnvironment.JVM_START);
        for (int i = 0; i < SERVICES; i++) {
            client.awaitLine(Pattern.compile("^REPLY " + i + " A" + i + "$"), CHANGE_SEEN);
        }
        int connectionsWithAllChannels = TcpConnections.established(client.pid(), fixture.etcd().clientPort());

        // the first and the last channel's services change: both watches live on the shared, replaced request
        long start = System.nanoTime();
        fixture.apps().server("B0").service(base + "-0").start();
        fixture.apps().server("B" + (SERVICES - 1)).service(base + "-" + (SERVICES - 1)).start();
        client.awaitLine(Pattern.compile("^REPLY 0 B0$"), ItEnvironment.JVM_START);
        client.awaitLine(Pattern.compile("^REPLY " + (SERVICES - 1) + " B" + (SERVICES - 1) + "$"),
                ItEnvironment.JVM_START);
        long seenMs = (System.nanoTime() - start) / 1_000_000;
        int connectionsAfterChanges = TcpConnections.established(client.pid(), fixture.etcd().clientPort());

        System.out.printf("WatchSharingTest: %d services watched by one client JVM; TCP connections to etcd: %d with"
                + " all channels built, %d after new servers in two services (reached %d ms after their launch)%n",
                SERVICES, connectionsWithAllChannels, connectionsAfterChanges, seenMs);
        assertThat(connectionsWithAllChannels).as("client connections to etcd with %d services watched", SERVICES)
                .isBetween(1, MAX_CONNECTIONS);
        assertThat(connectionsAfterChanges).as("client connections to etcd after the changes")
                .isBetween(1, MAX_CONNECTIONS);
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
    }
}
