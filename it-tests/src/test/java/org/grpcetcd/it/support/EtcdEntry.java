package org.grpcetcd.it.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One key of etcd as etcdctl shows it: key, exact value bytes and lease id (0: none). */
public final class EtcdEntry {
    private final String key;
    private final byte[] value;
    private final long lease;

    EtcdEntry(String key, byte[] value, long lease) {
        this.key = key;
        this.value = value.clone();
        this.lease = lease;
    }

    public String key() {
        return key;
    }

    public byte[] valueBytes() {
        return value.clone();
    }

    public String value() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public long lease() {
        return lease;
    }

    /** The lease id as etcdctl and the agent's log print it. */
    public String leaseHex() {
        return Long.toHexString(lease);
    }

    /** What follows {@code <service>/} in the key. */
    public String hostPort() {
        return key.substring(key.indexOf('/') + 1);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EtcdEntry && ((EtcdEntry) other).key.equals(key)
                && Arrays.equals(((EtcdEntry) other).value, value) && ((EtcdEntry) other).lease == lease;
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key + "=" + value() + (lease == 0 ? "" : " (lease " + leaseHex() + ")");
    }
}
