package org.grpcetcd.it.support.secure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.grpcetcd.it.support.EtcdServer;
import java.util.stream.Stream;
import org.grpcetcd.it.support.ItEnvironment;

/**
 * A throw-away certificate authority made with the real {@code openssl} command line, as an operator would make
 * one: RSA keys from {@code openssl req -nodes} (PKCS#8, {@code BEGIN PRIVATE KEY}), certificates signed with
 * {@code openssl x509 -req} and the extensions given. Files go to a fresh directory under {@code target/}.
 */
public final class Pki {
    /** Subject of a client certificate for password auth: no CommonName, so it names no etcd user. */
    public static final String NO_CN_SUBJECT = "/O=grpc-etcd-agent";
    /**
     * Days a CA and its certificates are valid: more than the week within which the agent warns of a client
     * certificate's end, so that no test sees that warning unless it asks for it.
     */
    private static final int DAYS = 30;
    private static final String CLIENT_EXTENSIONS = "subjectAltName=DNS:agent-client\nextendedKeyUsage=clientAuth\n";

    private final Path dir;
    private final Path openssl;
    private final Path caCert;
    private final Path caKey;

    private Pki(Path dir, String caName) {
        this.dir = dir;
        this.openssl = Commands.executable("openssl", "install it (apt-get install openssl)");
        this.caCert = dir.resolve(caName + ".pem");
        this.caKey = dir.resolve(caName + ".key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
                caCert.toString(), "-days", String.valueOf(DAYS), "-subj", "/CN=" + caName);
    }

    /** A new CA named {@code caName} in a fresh directory {@code target/secure-pki/<label>-*}. */
    public static Pki create(String label, String caName) {
        try {
            Path root = ItEnvironment.logsRoot().getParent().resolve("secure-pki");
            Files.createDirectories(root);
            return new Pki(Files.createTempDirectory(root, label + "-"), caName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another CA in the same directory: certificates it signs are not trusted by this one. */
    public Pki anotherCa(String caName) {
        return new Pki(dir, caName);
    }

    public Path dir() {
        return dir;
    }

    /** The CA certificate, PEM: what {@code grpc.etcd.tls.ca-file} and etcd's {@code --trusted-ca-file} take. */
    public Path caFile() {
        return caCert;
    }

    /** A server certificate with the subjectAltName given (e.g. {@code IP:127.0.0.1,DNS:localhost}). */
    public CertPair server(String name, String subjectAltName) {
        return sign(name, "/O=etcd-test", "subjectAltName=" + subjectAltName
                + "\nextendedKeyUsage=serverAuth,clientAuth\n", DAYS);
    }

    /** A client certificate (extended key usage clientAuth, SAN DNS:agent-client) with the subject given. */
    public CertPair client(String name, String subject) {
        return sign(name, subject, CLIENT_EXTENSIONS, DAYS);
    }

    /** A client certificate, as {@link #client}, valid for {@code days} from now. */
    public CertPair client(String name, String subject, int days) {
        return sign(name, subject, CLIENT_EXTENSIONS, days);
    }

    /** A client certificate whose notAfter lies a day before its notBefore: expired for any verifier. */
    public CertPair expiredClient(String name, String subject) {
        return sign(name, subject, CLIENT_EXTENSIONS, -1);
    }

    /** The same RSA key in PKCS#1 form ({@code BEGIN RSA PRIVATE KEY}), via {@code openssl rsa -traditional}. */
    public Path pkcs1Key(CertPair pair) {
        Path pkcs1 = dir.resolve(pair.cert().getFileName().toString().replace(".pem", "") + "-pkcs1.key");
        openssl("rsa", "-in", pair.key().toString(), "-traditional", "-out", pkcs1.toString());
        return pkcs1;
    }

    private CertPair sign(String name, String subject, String extensions, int days) {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Path ext = dir.resolve(name + ".ext");
        try {
            Files.write(ext, extensions.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", subject);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-set_serial", String.valueOf(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)),
                "-days", String.valueOf(days), "-extfile", ext.toString(), "-out", cert.toString());
        return new CertPair(cert, key);
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(arguments));
        Commands.run(command, Map.of(), 30);
    }

    /** Deletes the directory and every key in it. */
    /**
     * Stops the etcd that used a PKI, then deletes the PKI, also when stopping failed: the end of every secure test
     * class. Either may be {@code null} (set-up failed before it was made).
     */
    public static void stopThenDelete(EtcdServer etcd, Pki pki) {
        try {
            if (etcd != null) {
                etcd.close();
            }
        } finally {
            if (pki != null) {
                pki.delete();
            }
        }
    }

    public void delete() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A certificate (PEM) and its key (PEM, PKCS#8). */
    public static final class CertPair {
        private final Path cert;
        private final Path key;

        CertPair(Path cert, Path key) {
            this.cert = cert;
            this.key = key;
        }

        public Path cert() {
            return cert;
        }

        public Path key() {
            return key;
        }
    }
}
