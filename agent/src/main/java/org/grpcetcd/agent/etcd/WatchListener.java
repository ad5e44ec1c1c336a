package org.grpcetcd.agent.etcd;

import java.util.List;

/** Receives a watch's events on an HTTP client thread, and once, its end. */
public interface WatchListener {
    /** etcd confirmed the watch: from here on no change is missed. */
    default void onCreated() {
    }

    void onEvents(List<WatchEvent> events);

    /**
     * The watch is over and will not deliver more: etcd went away, refused it, or compacted past its start
     * revision ({@code compacted}). Not called after {@link WatchHandle#cancel()}.
     */
    void onClosed(String reason, boolean compacted);

    /**
     * The watch is over because the client replaced its connection (new credentials): nothing failed, and the
     * client now works on the new one. Not called after {@link WatchHandle#cancel()}.
     */
    default void onConnectionReplaced() {
        onClosed("the connection to etcd was replaced", false);
    }
}
