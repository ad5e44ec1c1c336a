package org.grpcetcd.agent.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsHintsTest {
    private static final EtcdAccess.TlsFiles FILES =
            new EtcdAccess.TlsFiles(Path.of("/etc/ca.pem"), Path.of("/etc/c.pem"), Path.of("/etc/k.pem"));

    @Test
    void anUntrustedServerCertificateNamesTheCaFileOrAsksForOne() {
        Exception failure = new java.io.IOException(new SSLHandshakeException("PKIX path building failed: x"));
        assertThat(TlsHints.hintFor(failure, FILES)).contains("grpc.etcd.tls.ca-file=/etc/ca.pem");
        assertThat(TlsHints.hintFor(failure, EtcdAccess.TlsFiles.NONE)).contains("set grpc.etcd.tls.ca-file");
    }

    @Test
    void aRefusedClientCertificateNamesTheCertificateAndKeyFiles() {
        assertThat(TlsHints.hintFor(new SSLHandshakeException("Received fatal alert: bad_certificate"), FILES))
                .contains("grpc.etcd.tls.cert-file=/etc/c.pem", "grpc.etcd.tls.key-file=/etc/k.pem");
    }

    @Test
    void otherFailuresGetNoHint() {
        assertThat(TlsHints.hintFor(new java.net.ConnectException("refused"), FILES)).isEmpty();
    }
}
