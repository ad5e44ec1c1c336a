package org.grpcetcd.agent.etcd;

import java.util.List;

/** The keys under a prefix and the store revision they were read at. */
public final class RangeResult {
    private final long revision;
    private final List<KeyValue> keyValues;

    public RangeResult(long revision, List<KeyValue> keyValues) {
        this.revision = revision;
        this.keyValues = List.copyOf(keyValues);
    }

    public long revision() {
        return revision;
    }

    public List<KeyValue> keyValues() {
        return keyValues;
    }
}
