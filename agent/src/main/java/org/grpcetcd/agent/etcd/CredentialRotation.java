package org.grpcetcd.agent.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.thread.Guarded;

/**
 * Picks up rotated etcd credentials without a restart. Every {@code interval} on the agent's scheduler it looks at
 * what the TLS files and the password file hold; content that differs from the material in use and has held still
 * since the last look (a writer may be between the certificate and its key) is tried on a new connection, which
 * replaces the working one only once it works ({@link EtcdClient#reconnect}). Material that cannot be used is
 * refused in one WARN line and not tried again until it changes; material etcd does not accept (yet: a new CA
 * written before etcd has its new certificate) is told once and tried again at every look. It also warns, once a
 * day, of a client certificate about to expire.
 */
public final class CredentialRotation {
    private final EtcdClient etcd;
    private final CredentialFiles files;
    private final Clock clock;
    private final Duration interval;
    private Map<String, String> inUse;
    private Map<String, String> lastLook;
    private Map<String, String> refused; // cannot be used: not tried again until it changes
    private Map<String, String> notAccepted; // etcd did not take it: told once, tried at each look
    private CertificateExpiry expiry;

    private CredentialRotation(EtcdClient etcd, CredentialFiles files, Duration interval, Clock clock) {
        this.etcd = etcd;
        this.files = files;
        this.interval = interval;
        this.clock = clock;
    }

    /** The rotation of {@code etcd}'s credential files, or none when it reads none. */
    public static Optional<CredentialRotation> of(EtcdClient etcd, Duration interval) {
        CredentialFiles files = new CredentialFiles(etcd.access());
        return files.isEmpty() ? Optional.empty()
                : Optional.of(new CredentialRotation(etcd, files, interval, Clock.systemUTC()));
    }

    /** Looks every {@code interval} from now on, on {@code scheduler} (the agent's thread, which owns the client). */
    public void start(ScheduledExecutorService scheduler) {
        // the first look on the agent's thread too: parsing certificates on the app's would slow its start
        scheduler.execute(Guarded.task("reading the etcd credential files", this::firstLook));
        scheduler.scheduleWithFixedDelay(Guarded.task("looking for new etcd credentials", this::look),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the files hold at start: the material the connection is built from. */
    void firstLook() {
        inUse = files.contents();
        lastLook = inUse;
        expiry = CertificateExpiry.of(etcd.access().tls().certFile);
        expiry.check(clock.instant());
    }

    void look() {
        Map<String, String> now = files.contents();
        boolean stillSinceLastLook = now.equals(lastLook);
        lastLook = now;
        if (stillSinceLastLook && !now.equals(inUse) && !now.equals(refused)) {
            tryNew(now);
        }
        expiry.check(clock.instant());
    }

    private void tryNew(Map<String, String> now) {
        String changed = files.changes(inUse, now);
        EtcdAccess next = etcd.access();
        Optional<Path> passwordFile = next.passwordFile();
        try {
            if (passwordFile.isPresent()) {
                next = next.withPassword(readPassword(passwordFile.get()));
            }
            etcd.reconnect(next);
        } catch (TlsSetupException e) {
            refused = now;
            AgentLog.warn(changed + " changed, but the new content cannot be used: " + e.getMessage()
                    + "; the working etcd connection stays");
            return;
        } catch (RuntimeException e) {
            String why = e instanceof EtcdUnavailableException ? e.getMessage() : AgentLog.describe(e);
            String line = changed + " changed, but etcd does not accept a connection with the new content: "
                    + why + "; the working etcd connection stays, and the new content is tried again every "
                    + interval.toMillis() + " ms";
            if (now.equals(notAccepted)) {
                AgentLog.debug(line);
            } else {
                notAccepted = now;
                AgentLog.warn(line);
            }
            return;
        }
        inUse = now;
        notAccepted = null;
        expiry = CertificateExpiry.of(next.tls().certFile);
        AgentLog.info(changed + " changed: the agent reaches etcd on a new connection with the new content now"
                + " (registrations and watches moved to it; the old connection closes in a few seconds)");
    }

    /** The password, as {@code SettingsLoader} reads it at start; refused in words that never quote it. */
    private static String readPassword(Path file) {
        String password;
        try {
            password = Files.readString(file).strip();
        } catch (IOException e) {
            throw new TlsSetupException("grpc.etcd.password-file: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (password.isEmpty()) {
            throw new TlsSetupException("grpc.etcd.password-file: " + file + " is empty", null);
        }
        return password;
    }
}
