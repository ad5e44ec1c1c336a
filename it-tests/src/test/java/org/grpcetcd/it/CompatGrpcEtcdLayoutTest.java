package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.AgentLines;
import org.grpcetcd.it.support.compat.CompatFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The classic article's layout, {@code grpc.etcd.key-format=grpcEtcd}: {@code /grpcEtcd/<service>/<host>:<port>}
 * holding the plain address, read by clients on {@code grpcEtcd://<anything>/<service>}, whether the agent
 * wrote the key or a Go service of that article did (here: etcdctl, writing what those services write).
 */
class CompatGrpcEtcdLayoutTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);
    /** The oldest gRPC, for a client that reads a key it did not see written. */
    private static final String OLDEST_RUNTIME = "grpc-1.26.0-netty-shaded";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void aServerInTheGrpcEtcdLayoutIsWrittenAsAPlainAddressAndFoundByGrpcEtcdTargets() {
        String service = UniqueNames.service("layout");
        AppProcess server = fixture.apps().server("L").service(service).setting("key-format", "grpcEtcd").start();
        // the client has no key-format setting: both schemes always resolve
        AppProcess client = fixture.apps().client("client", "grpcEtcd://anything/" + service, "20",
                String.valueOf(Long.MAX_VALUE), "60000").start();
        String hostPort = "127.0.0.1:" + EchoOutput.awaitReady(server);
        String key = "/grpcEtcd/" + service + "/" + hostPort;

        EtcdEntry entry = fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        assertThat(entry.valueBytes()).as("value of %s: %s", key, entry.value())
                .isEqualTo(hostPort.getBytes(StandardCharsets.UTF_8));
        assertThat(entry.lease()).as("lease of %s", key).isNotZero();
        assertThat(fixture.etcdctl().entries(service + "/")).as("keys in the default layout under %s/", service)
                .isEmpty();
        assertThat(fixture.etcdctl().entries("/grpcEtcd/" + service + "/").keySet()).containsExactly(key);

        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        assertThat(replies).as("replies on grpcEtcd://anything/%s", service).containsOnly("L");
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client").isEmpty();
        for (AppProcess app : List.of(server, client)) {
            assertThat(AgentLines.warningsAndErrors(app.errLines())).as("the agent's WARN/ERROR lines in %s",
                    app.name()).isEmpty();
        }
        System.out.printf("CompatGrpcEtcdLayoutTest: %s=%s; a client on grpcEtcd://anything/%s got %d replies%n",
                key, entry.value(), service, replies.size());
    }

    /**
     * A server with no agent, its key put the way the article's Go services put theirs: clients on the newest
     * and on the oldest gRPC find it through {@code grpcEtcd://}.
     */
    @Test
    void aKeyPutByEtcdctlInTheGrpcEtcdLayoutIsFound() {
        String service = UniqueNames.service("article");
        AppProcess server = fixture.apps().server("E").withoutAgent().start();
        String hostPort = "127.0.0.1:" + EchoOutput.awaitReady(server);
        String key = "/grpcEtcd/" + service + "/" + hostPort;
        fixture.etcdctl().put(key, hostPort);

        AppProcess newest = fixture.apps().client("client-newest", "grpcEtcd://cluster/" + service, "20",
                String.valueOf(Long.MAX_VALUE), "60000").start();
        AppProcess oldest = fixture.apps().client("client-oldest", "grpcEtcd://cluster/" + service, "20",
                String.valueOf(Long.MAX_VALUE), "60000").classPath(CompatFiles.appClassPath(OLDEST_RUNTIME)).start();
        for (AppProcess client : List.of(newest, oldest)) {
            List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
            assertThat(replies).as("replies to %s on grpcEtcd://cluster/%s", client.name(), service)
                    .containsOnly("E");
            assertThat(EchoOutput.errors(client)).as("ERROR lines of %s", client.name()).isEmpty();
            assertThat(AgentLines.warningsAndErrors(client.errLines())).as("the agent's WARN/ERROR lines in %s",
                    client.name()).isEmpty();
        }
        assertThat(server.errLines()).as("the server ran without the agent")
                .noneMatch(line -> line.startsWith("[grpc-etcd-agent]"));
        System.out.printf("CompatGrpcEtcdLayoutTest: etcdctl put %s %s; clients on gRPC 1.85.1 and 1.26.0 reached "
                + "it%n", key, hostPort);
    }
}
