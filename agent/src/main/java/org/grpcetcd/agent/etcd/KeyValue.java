package org.grpcetcd.agent.etcd;

/** A key and its value as read from etcd, both as UTF-8 text, with the key's lease. */
public final class KeyValue {
    private final String key;
    private final String value;
    private final long leaseId;

    public KeyValue(String key, String value, long leaseId) {
        this.key = key;
        this.value = value;
        this.leaseId = leaseId;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    /** The key's lease, 0 when it has none. */
    public long leaseId() {
        return leaseId;
    }
}
