package org.grpcetcd.agent.etcd;

/** A running watch; cancel it to close its connection. */
public interface WatchHandle {
    void cancel();
}
