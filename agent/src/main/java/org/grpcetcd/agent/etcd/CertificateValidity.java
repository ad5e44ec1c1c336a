package org.grpcetcd.agent.etcd;

import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The subject and the end of validity (notAfter) of a certificate in a PEM file: for warnings and doctor. */
public final class CertificateValidity {
    /** How long before its end a client certificate is warned of. */
    public static final Duration SOON = Duration.ofDays(7);

    private final String subject;
    private final Instant notAfter;

    private CertificateValidity(String subject, Instant notAfter) {
        this.subject = subject;
        this.notAfter = notAfter;
    }

    /**
     * Every certificate in {@code file}, in order (a client certificate first, then its chain); throws
     * {@link TlsSetupException} naming {@code setting} when the file cannot be read or holds none.
     */
    public static List<CertificateValidity> read(Path file, String setting) {
        List<CertificateValidity> validities = new ArrayList<>();
        for (Certificate certificate : PemFiles.certificates(file, setting)) {
            X509Certificate x509 = (X509Certificate) certificate;
            validities.add(new CertificateValidity(x509.getSubjectX500Principal().getName(),
                    x509.getNotAfter().toInstant()));
        }
        return validities;
    }

    public String subject() {
        return subject;
    }

    public Instant notAfter() {
        return notAfter;
    }
}
