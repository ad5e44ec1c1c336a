package org.grpcetcd.it.support;

/** {@code etcdctl lease timetolive}: the TTL a lease was granted with and the seconds it has left (-1: gone). */
public final class LeaseTtl {
    private final long granted;
    private final long remaining;

    LeaseTtl(long granted, long remaining) {
        this.granted = granted;
        this.remaining = remaining;
    }

    public long granted() {
        return granted;
    }

    public long remaining() {
        return remaining;
    }

    public boolean exists() {
        return remaining >= 0;
    }

    @Override
    public String toString() {
        return "granted " + granted + "s, remaining " + remaining + "s";
    }
}
