package org.grpcetcd.agent.etcd;

/** No etcd endpoint answered: refused, timed out, or etcd said it is unavailable. Worth retrying. */
public final class EtcdUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EtcdUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
