package org.grpcetcd.agent.etcd;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds the SSLContext for https endpoints from the PEM files given; host names stay verified. */
final class TlsContexts {
    private TlsContexts() {
    }

    /** The context to use, or {@code null} for the JVM's default (its own trust store, no client certificate). */
    static SSLContext create(EtcdAccess.TlsFiles files) {
        if (!files.any()) {
            return null;
        }
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
                KeyStore store = emptyStore();
                char[] noPassword = new char[0];
                store.setKeyEntry("client", key, noPassword, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, noPassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("the TLS files do not fit together: " + e.getClass().getSimpleName()
                    + " (does grpc.etcd.tls.key-file belong to grpc.etcd.tls.cert-file?)", e);
        }
    }

    /**
     * For a client that only ever speaks plain HTTP: the JDK's HttpClient insists on an SSLContext, and its default
     * one loads the JVM's whole trust store (some 30 ms of the first contact with etcd). This one trusts no
     * one, which no request of such a client ever asks.
     */
    static SSLContext plainHttpOnly() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("the JVM offers no TLS context: " + e.getClass().getSimpleName(), e);
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
