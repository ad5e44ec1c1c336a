package org.grpcetcd.agent.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How failures of the real client (jetcd, over real sockets) are said in words; no etcd needed to fail. */
class EtcdFailureTest {
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @AfterAll
    static void stopExecutor() {
        EXECUTOR.shutdownNow();
    }

    private static String failureOfARangeOn(String endpoint) {
        try (EtcdClient client = new EtcdClient(EtcdAccess.plain(List.of(URI.create(endpoint))), EXECUTOR)) {
            Throwable failure = catchThrowable(() -> client.rangePrefix("svc/"));
            assertThat(failure).as("a range on %s", endpoint).isInstanceOf(EtcdUnavailableException.class);
            return EtcdFailure.describe(failure);
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThat(failureOfARangeOn("http://127.0.0.1:" + closed)).isEqualTo("connection refused");
    }

    @Test
    void anHttp1ServerIsNotEtcdAndItsPageIsNeverQuoted() throws IOException {
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            byte[] page = "<!DOCTYPE html><h1>Not Found</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        web.start();
        try {
            assertThat(failureOfARangeOn("http://127.0.0.1:" + web.getAddress().getPort()))
                    .startsWith(EtcdFailure.NOT_ETCD).doesNotContain("<").doesNotContain("Exception");
        } finally {
            web.stop(0);
        }
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersIsNoAnswerInTime() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(failureOfARangeOn("http://127.0.0.1:" + silent.getLocalPort())).isEqualTo("no answer in time");
        }
    }

    @Test
    void aRefusalKeepsEtcdsWordsAndTlsKeepsItsHintWithoutClassNames() {
        assertThat(EtcdFailure.describe(new EtcdRequestException(7, "permission denied on orders/ for user bob")))
                .isEqualTo("permission denied on orders/ for user bob (code 7)");
        SSLHandshakeException tls = new SSLHandshakeException("PKIX path building failed: sun.security.provider"
                + ".certpath.SunCertPathBuilderException: unable to find valid certification path");
        EtcdUnavailableException failure = new EtcdUnavailableException("no etcd endpoint answered"
                + " (tried [https://h:1]): TLS handshake failed (etcd's certificate is"
                + " not signed by a CA in grpc.etcd.tls.ca-file=/ca.pem)", tls);
        assertThat(EtcdFailure.describe(failure)).isEqualTo("TLS handshake failed: PKIX path building failed:"
                + " unable to find valid certification path (etcd's certificate is not signed by a CA in"
                + " grpc.etcd.tls.ca-file=/ca.pem)");
    }
}
