package org.grpcetcd.agent.thread;

/**
 * Retry delays that start short, so a blip costs little, and double up to a ceiling, so an etcd that is down
 * for hours costs one request a second. There is no retry cap: the agent keeps trying for as long as it runs.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the one after, up to the ceiling. */
    public long nextDelayMillis() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return delay;
    }

    public void reset() {
        nextMillis = initialMillis;
    }
}
