package org.grpcetcd.agent.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EtcdConnectionTest {
    @Test
    void theChannelJetcdKeepsToItselfIsReachedToResetItsReconnectBackoff() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        ExecutorService executor = Executors.newCachedThreadPool();
        EtcdConnection connection = EtcdConnection.open(
                EtcdAccess.plain(List.of(URI.create("http://127.0.0.1:" + closed))), executor);
        try {
            connection.jetcd().getKVClient(); // jetcd builds its channel with its first client
            assertThat(connection.connectNow()).as("the channel's backoff was reset").isTrue();
        } finally {
            connection.close();
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
