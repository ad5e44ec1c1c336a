package org.grpcetcd.agent.etcd;

/** etcd answered and refused the request, with a gRPC status code and its message. */
public final class EtcdRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public EtcdRequestException(int code, String message) {
        super(message + " (code " + code + ")");
        this.code = code;
    }

    public int code() {
        return code;
    }
}
