package org.grpcetcd.agent.thread;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays that start short, so a blip costs little, and double up to a ceiling, so an etcd that is down
 * for hours costs about one request a second. Each delay is jittered down by up to a fifth, so the many JVMs
 * that lost etcd together do not come back in lockstep. There is no retry cap: the agent keeps trying.
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
        long base = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return base - ThreadLocalRandom.current().nextLong(base / 5 + 1);
    }

    public void reset() {
        nextMillis = initialMillis;
    }
}
