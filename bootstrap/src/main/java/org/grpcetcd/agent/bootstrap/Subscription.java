package org.grpcetcd.agent.bootstrap;

/** A listener's interest in a service; cancel it when the resolver shuts down. */
public interface Subscription {
    void cancel();
}
