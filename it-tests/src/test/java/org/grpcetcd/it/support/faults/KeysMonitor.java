package org.grpcetcd.it.support.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdServer;

/**
 * Checks, on its own thread about every 100 ms, that every expected key is in etcd: each round asks one of the
 * members running at the time (in turn) with a linearizable {@code etcdctl get --prefix --keys-only}. A round whose
 * member does not answer (it is being killed, an election is under way) proves nothing either way and is counted
 * apart; a round that answers without an expected key is a miss.
 */
public final class KeysMonitor implements AutoCloseable {
    private final Supplier<List<EtcdServer>> candidates;
    private final String prefix;
    private final Set<String> expected;
    private final Thread thread;
    private final List<String> misses = new ArrayList<>();
    private volatile boolean stopped;
    private int answered;
    private int unanswered;
    private long longestGapMillis;

    public KeysMonitor(Supplier<List<EtcdServer>> candidates, String prefix, Set<String> expected) {
        this.candidates = candidates;
        this.prefix = prefix;
        this.expected = new TreeSet<>(expected);
        this.thread = new Thread(this::run, "keys-monitor-" + prefix);
        this.thread.setDaemon(true);
    }

    public KeysMonitor start() {
        thread.start();
        return this;
    }

    private void run() {
        int turn = 0;
        long lastAnswer = System.nanoTime();
        while (!stopped) {
            List<EtcdServer> running = candidates.get();
            if (!running.isEmpty()) {
                EtcdServer member = running.get(turn++ % running.size());
                EtcdCtl.Result result = new EtcdCtl(member).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .attempt("get", "--prefix", prefix, "--keys-only");
                long now = System.nanoTime();
                synchronized (this) {
                    if (result.ok()) {
                        Set<String> keys = Arrays.stream(result.out().split("\n")).map(String::trim)
                                .filter(line -> !line.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
                        answered++;
                        longestGapMillis = Math.max(longestGapMillis, (now - lastAnswer) / 1_000_000);
                        lastAnswer = now;
                        if (!keys.containsAll(expected)) {
                            Set<String> missing = new TreeSet<>(expected);
                            missing.removeAll(keys);
                            misses.add(member.name() + " at " + java.time.Instant.now() + " lacked " + missing);
                        }
                    } else {
                        unanswered++;
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Rounds in which a member answered. */
    public synchronized int answered() {
        return answered;
    }

    public synchronized int unanswered() {
        return unanswered;
    }

    /** The longest time between two answered rounds, in ms: how long the keys went unchecked at worst. */
    public synchronized long longestGapMillis() {
        return longestGapMillis;
    }

    /** Answered rounds that lacked an expected key, described. */
    public synchronized List<String> misses() {
        return new ArrayList<>(misses);
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized String toString() {
        return "keys monitor of " + expected + ": " + answered + " rounds answered, " + unanswered
                + " unanswered, longest gap " + longestGapMillis + " ms, misses " + misses;
    }
}
