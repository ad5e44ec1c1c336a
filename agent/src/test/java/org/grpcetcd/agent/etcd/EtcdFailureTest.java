package org.grpcetcd.agent.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class EtcdFailureTest {
    private static EtcdUnavailableException unavailable(Throwable cause) {
        return new EtcdUnavailableException("no etcd endpoint answered /v3/kv/range (tried [http://h:1]): "
                + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    @Test
    void refusedTimedOutAndUnknownHostAreSaidInWords() {
        ConnectException refused = new ConnectException(); // as the JDK's HttpClient reports it
        refused.initCause(new ConnectException());
        refused.getCause().initCause(new ClosedChannelException());
        assertThat(EtcdFailure.describe(unavailable(refused))).isEqualTo("connection refused");
        assertThat(EtcdFailure.describe(unavailable(new ConnectException()))).isEqualTo("connection refused");
        ConnectException unresolved = new ConnectException();
        unresolved.initCause(new ConnectException());
        unresolved.getCause().initCause(new UnresolvedAddressException());
        assertThat(EtcdFailure.describe(unavailable(unresolved))).isEqualTo("unknown host");
        assertThat(EtcdFailure.describe(unavailable(new HttpConnectTimeoutException("HTTP connect timed out"))))
                .isEqualTo("connection timed out");
        assertThat(EtcdFailure.describe(unavailable(new IllegalArgumentException("port out of range:99999"))))
                .isEqualTo("port out of range");
    }

    @Test
    void anHttpErrorPageOrANonHttpServerIsNotEtcdAndItsPageIsNeverQuoted() {
        String page = EtcdFailure.describe(new EtcdRequestException(0, "etcd answered HTTP 501: <!DOCTYPE HTML>\n"
                + "<html lang=\"en\">"));
        assertThat(page).isEqualTo("this does not look like an etcd client URL (it answered HTTP 501, not etcd's API)");
        assertThat(EtcdFailure.describe(new EtcdRequestException(0, "etcd answered HTTP 404: 404 page not found")))
                .startsWith(EtcdFailure.NOT_ETCD);
        assertThat(EtcdFailure.describe(unavailable(new IOException("Invalid status line: \"SSH-2.0-OpenSSH_9.2\""))))
                .isEqualTo("this does not look like an etcd client URL (it does not answer HTTP)");
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsNoWrongUrlEtcdDoesThatWhileStopping() {
        assertThat(EtcdFailure.describe(unavailable(new IOException("HTTP/1.1 header parser received no bytes"))))
                .isEqualTo("connection closed without an answer");
    }

    @Test
    void aRefusalKeepsEtcdsWordsAndTlsKeepsItsHintWithoutClassNames() {
        assertThat(EtcdFailure.describe(new EtcdRequestException(7, "permission denied on orders/ for user bob")))
                .isEqualTo("permission denied on orders/ for user bob (code 7)");
        SSLHandshakeException tls = new SSLHandshakeException("PKIX path building failed: sun.security.provider"
                + ".certpath.SunCertPathBuilderException: unable to find valid certification path");
        EtcdUnavailableException failure = new EtcdUnavailableException("no etcd endpoint answered /v3/kv/range"
                + " (tried [https://h:1]): SSLHandshakeException: PKIX path building failed (etcd's certificate is"
                + " not signed by a CA in grpc.etcd.tls.ca-file=/ca.pem)", tls);
        assertThat(EtcdFailure.describe(failure)).isEqualTo("TLS handshake failed: PKIX path building failed:"
                + " unable to find valid certification path (etcd's certificate is not signed by a CA in"
                + " grpc.etcd.tls.ca-file=/ca.pem)");
    }
}
