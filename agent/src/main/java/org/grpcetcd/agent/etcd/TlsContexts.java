package org.grpcetcd.agent.etcd;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.grpcetcd.agent.shaded.io.grpc.netty.GrpcSslContexts;
import org.grpcetcd.agent.shaded.io.netty.handler.ssl.SslContext;
import org.grpcetcd.agent.shaded.io.netty.handler.ssl.SslContextBuilder;
import org.grpcetcd.agent.shaded.io.netty.handler.ssl.SslProvider;

/** Builds the TLS context for https endpoints from the PEM files given; host names stay verified. */
final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * The TLS context of an etcd connection: the CA file (else the JVM's trust store) and the client certificate,
     * if any. Read each time a connection is built, so that fixed files are picked up.
     */
    static SslContext create(EtcdAccess.TlsFiles files) {
        if ((files.certFile == null) != (files.keyFile == null)) {
            throw new TlsSetupException("grpc.etcd.tls.cert-file and grpc.etcd.tls.key-file go together: set both"
                    + " or neither", null);
        }
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (files.caFile != null) {
                KeyStore cas = emptyStore();
                List<Certificate> certificates = PemFiles.certificates(files.caFile, "grpc.etcd.tls.ca-file");
                for (int i = 0; i < certificates.size(); i++) {
                    cas.setCertificateEntry("ca-" + i, certificates.get(i));
                }
                trust.init(cas);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManagerFactory keys = null;
            if (files.certFile != null) {
                List<Certificate> chain = PemFiles.certificates(files.certFile, "grpc.etcd.tls.cert-file");
                PrivateKey key = PemFiles.privateKey(files.keyFile, "grpc.etcd.tls.key-file");
                checkKeyFits(key, chain.get(0), files);
                KeyStore store = emptyStore();
                char[] noPassword = new char[0];
                store.setKeyEntry("client", key, noPassword, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, noPassword);
            }
            // the JDK's TLS, set up for HTTP/2 (ALPN h2) as gRPC needs it
            SslContextBuilder context = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                    .trustManager(trust);
            if (keys != null) {
                context.keyManager(keys);
            }
            return context.build();
        } catch (GeneralSecurityException | SSLException e) {
            throw new TlsSetupException("the TLS files do not fit together: " + e.getClass().getSimpleName()
                    + " (does grpc.etcd.tls.key-file belong to grpc.etcd.tls.cert-file?)", e);
        }
    }

    /**
     * Signs a few bytes with the key and verifies them with the certificate's public key. A key that is not the
     * certificate's would otherwise show only in the handshake, as etcd's "bad certificate", at the next connect:
     * after a rotation written halfway (a new certificate, the old key) that is long after the change.
     */
    private static void checkKeyFits(PrivateKey key, Certificate certificate, EtcdAccess.TlsFiles files) {
        byte[] probe = "grpc-etcd-agent".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        boolean fits;
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm(key));
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(key));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            fits = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            fits = false; // a key of another algorithm than the certificate's, for one
        }
        if (!fits) {
            throw new TlsSetupException("grpc.etcd.tls.key-file: " + files.keyFile + " is not the key of the"
                    + " certificate in grpc.etcd.tls.cert-file=" + files.certFile, null);
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        switch (key.getAlgorithm()) {
            case "RSA": return "SHA256withRSA";
            case "EC": return "SHA256withECDSA";
            case "DSA": return "SHA256withDSA";
            default: return key.getAlgorithm(); // EdDSA, Ed25519: the algorithm names its signature
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }
}
