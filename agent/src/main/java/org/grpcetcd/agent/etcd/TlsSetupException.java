package org.grpcetcd.agent.etcd;

/**
 * The credential files given (TLS files, password file) cannot be used; the message names the file or setting and
 * says what to do, and never quotes their content.
 */
public final class TlsSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
