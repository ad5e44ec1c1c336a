package org.grpcetcd.agent.etcd;

/** The TLS files given cannot be used; the message names the file or setting and says what to do. */
public final class TlsSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
