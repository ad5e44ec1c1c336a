package org.grpcetcd.agent.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How to reach etcd: its endpoints, the TLS material to use, and the user to authenticate as. */
public final class EtcdAccess {
    private final List<URI> endpoints;
    private final TlsFiles tls;
    private final String user;
    private final String password;
    private final Path passwordFile;

    /** {@code passwordFile}: where {@code password} was read from, if it was; watched for a new one. */
    public EtcdAccess(List<URI> endpoints, TlsFiles tls, String user, String password, Path passwordFile) {
        this.endpoints = List.copyOf(endpoints);
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.passwordFile = passwordFile;
    }

    public static EtcdAccess plain(List<URI> endpoints) {
        return new EtcdAccess(endpoints, TlsFiles.NONE, null, null, null);
    }

    /** The same access, on other endpoints. */
    public EtcdAccess withEndpoints(List<URI> otherEndpoints) {
        return new EtcdAccess(otherEndpoints, tls, user, password, passwordFile);
    }

    /** The same access with a password read anew from its file. */
    EtcdAccess withPassword(String newPassword) {
        return new EtcdAccess(endpoints, tls, user, newPassword, passwordFile);
    }

    /** The password file, when the password is read from one (and a user is set, so it is used). */
    Optional<Path> passwordFile() {
        return user == null ? Optional.empty() : Optional.ofNullable(passwordFile);
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    TlsFiles tls() {
        return tls;
    }

    Optional<String> user() {
        return Optional.ofNullable(user);
    }

    String password() {
        return password == null ? "" : password;
    }

    /** Holds the paths of the PEM files; read each time a client is built, so fixed files are picked up. */
    public static final class TlsFiles {
        static final TlsFiles NONE = new TlsFiles(null, null, null);

        final Path caFile;
        final Path certFile;
        final Path keyFile;

        public TlsFiles(Path caFile, Path certFile, Path keyFile) {
            this.caFile = caFile;
            this.certFile = certFile;
            this.keyFile = keyFile;
        }

        public Optional<Path> caFile() {
            return Optional.ofNullable(caFile);
        }

        public Optional<Path> certFile() {
            return Optional.ofNullable(certFile);
        }

        /** For the start-up log: which files are configured (paths only). */
        public String describe() {
            return (caFile == null ? "" : " tls.ca-file=" + caFile) + (certFile == null ? "" : " tls.cert-file="
                    + certFile) + (keyFile == null ? "" : " tls.key-file=" + keyFile);
        }
    }
}
