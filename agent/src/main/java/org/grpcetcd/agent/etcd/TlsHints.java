package org.grpcetcd.agent.etcd;

import javax.net.ssl.SSLException;

/** Turns a failed TLS handshake into what to check, naming the setting and file involved. */
final class TlsHints {
    private TlsHints() {
    }

    /** A hint to append to a failure's description, or "" when the failure is no TLS problem. */
    static String hintFor(Throwable failure, EtcdAccess.TlsFiles files) {
        SSLException tls = tlsFailure(failure);
        return tls == null ? "" : hintFor(String.valueOf(tls.getMessage()), files);
    }

    /** The TLS exception behind {@code failure}, or {@code null} when it is no TLS problem. */
    static SSLException tlsFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return (SSLException) cause;
            }
        }
        return null;
    }

    static String hintFor(String message, EtcdAccess.TlsFiles files) {
        if (message.contains("PKIX path building failed") || message.contains("unable to find valid certification")) {
            return files.caFile == null
                    ? " (etcd's certificate is not signed by a CA in the JVM's trust store: set grpc.etcd.tls.ca-file"
                            + " to the CA that signed it)"
                    : " (etcd's certificate is not signed by a CA in grpc.etcd.tls.ca-file=" + files.caFile + ")";
        }
        if (message.contains("subject alternative name") || message.contains("No name matching")) {
            return " (etcd's certificate does not name this endpoint's host in its subjectAltName)";
        }
        if (message.contains("bad_certificate") || message.contains("certificate_required")
                || message.contains("decrypt_error") || message.contains("certificate_expired")) {
            return files.certFile == null
                    ? " (etcd wants a client certificate: set grpc.etcd.tls.cert-file and grpc.etcd.tls.key-file)"
                    : " (etcd refused the client certificate: check that grpc.etcd.tls.cert-file=" + files.certFile
                            + " is signed by etcd's --trusted-ca-file, has not expired, and that"
                            + " grpc.etcd.tls.key-file=" + files.keyFile + " is its key)";
        }
        return "";
    }
}
