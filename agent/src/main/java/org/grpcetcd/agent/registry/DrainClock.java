package org.grpcetcd.agent.registry;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each key of this JVM left etcd, so that a stopping server serves on only for what is left of the drain
 * time after its keys left: servers stopping together drain together, a server whose keys the exit hook already
 * removed waits for that one drain only, and a server whose keys never reached etcd does not wait at all. Any
 * thread may use it: the agent's thread puts keys, the app's threads stop servers.
 */
final class DrainClock {
    private final long drainNanos;
    private final Set<String> maybeInEtcd = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> leftAt = new ConcurrentHashMap<>();

    DrainClock(long drainMillis) {
        this.drainNanos = drainMillis * 1_000_000L;
    }

    /** Called before a key is put: from then on a client may have read it. */
    void putting(String key) {
        leftAt.remove(key);
        maybeInEtcd.add(key);
    }

    /** The put was refused: etcd never held the key. */
    void notPut(String key) {
        maybeInEtcd.remove(key);
    }

    boolean maybeInEtcd(String key) {
        return maybeInEtcd.contains(key);
    }

    /** The key was deleted from etcd now. */
    void left(String key) {
        if (maybeInEtcd.remove(key)) {
            leftAt.put(key, System.nanoTime());
        }
    }

    /** Every key left etcd now (the lease was revoked); returns whether any was there. */
    boolean allLeft() {
        boolean any = false;
        for (String key : maybeInEtcd) {
            left(key);
            any = true;
        }
        return any;
    }

    /** Nanoseconds a server with these keys must still serve: 0 once the drain after its last key left is over. */
    long remainingNanos(Collection<String> keys) {
        long now = System.nanoTime();
        long remaining = 0;
        for (String key : keys) {
            Long left = leftAt.get(key);
            if (left != null) {
                remaining = Math.max(remaining, left + drainNanos - now);
            }
        }
        return remaining;
    }
}
