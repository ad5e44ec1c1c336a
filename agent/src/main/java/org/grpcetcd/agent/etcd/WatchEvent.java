package org.grpcetcd.agent.etcd;

/** One change under a watched prefix: a put (with its value) or a delete (value {@code null}). */
public final class WatchEvent {
    private final String key;
    private final String value;

    private WatchEvent(String key, String value) {
        this.key = key;
        this.value = value;
    }

    public static WatchEvent put(String key, String value) {
        return new WatchEvent(key, value);
    }

    public static WatchEvent delete(String key) {
        return new WatchEvent(key, null);
    }

    public String key() {
        return key;
    }

    public boolean isDelete() {
        return value == null;
    }

    public String value() {
        return value;
    }
}
