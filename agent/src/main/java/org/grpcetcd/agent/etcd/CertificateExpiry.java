package org.grpcetcd.agent.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.grpcetcd.agent.log.AgentLog;

/**
 * Warns that the client certificate in use expires soon: within {@link #WARN_BEFORE}, at most once per
 * {@link #REPEAT}, naming the file and the date. An expired certificate gets no warning here: etcd refuses the
 * handshake, and that failure is logged with what to check.
 */
final class CertificateExpiry {
    static final Duration WARN_BEFORE = CertificateValidity.SOON;
    static final Duration REPEAT = Duration.ofDays(1);

    private final Path file;
    private final Instant notAfter;
    private Instant warnedAt;

    CertificateExpiry(Path file, Instant notAfter) {
        this.file = file;
        this.notAfter = notAfter;
    }

    /** The expiry of the first certificate in {@code file}, or none when it cannot be read now. */
    static CertificateExpiry of(Path file) {
        if (file == null) {
            return new CertificateExpiry(null, null);
        }
        try {
            return new CertificateExpiry(file, CertificateValidity.read(file, "grpc.etcd.tls.cert-file").get(0)
                    .notAfter());
        } catch (TlsSetupException unreadable) {
            return new CertificateExpiry(file, null); // building a connection with it says what is wrong
        }
    }

    /** Logs the warning when it is due at {@code now}. */
    void check(Instant now) {
        if (due(now)) {
            warnedAt = now;
            AgentLog.warn("grpc.etcd.tls.cert-file: the client certificate in " + file + " expires on " + notAfter
                    + " (in " + Duration.between(now, notAfter).toHours() + " h); write its renewal there: the"
                    + " agent picks it up without a restart");
        }
    }

    boolean due(Instant now) {
        if (notAfter == null || !now.isBefore(notAfter) || now.plus(WARN_BEFORE).isBefore(notAfter)) {
            return false;
        }
        return warnedAt == null || !now.isBefore(warnedAt.plus(REPEAT));
    }
}
