package org.grpcetcd.agent.etcd;

/** A key and its value as read from etcd, both as UTF-8 text. */
public final class KeyValue {
    private final String key;
    private final String value;

    public KeyValue(String key, String value) {
        this.key = key;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }
}
