package org.grpcetcd.agent.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.EtcdFailure;
import org.grpcetcd.agent.etcd.EtcdUnavailableException;
import org.grpcetcd.agent.etcd.KeyValue;
import org.grpcetcd.agent.etcd.RangeResult;
import org.grpcetcd.agent.etcd.WatchEvent;
import org.grpcetcd.agent.etcd.WatchHandle;
import org.grpcetcd.agent.etcd.WatchListener;
import org.grpcetcd.agent.thread.Backoff;

/**
 * {@code watch SERVICE}: the keys under the service's prefix now, then one line per change, until Ctrl-C. When
 * the watch breaks (etcd went away or stopped answering, or compacted the history it was to resume from), it
 * says so, reads the prefix again until etcd answers, prints how that differs from what it showed last, and
 * watches on from there.
 * Only an etcd that cannot be read at the very start ends it (exit 1): that is a wrong address, not an outage.
 */
final class WatchCommand {
    private static final int PROBE_EVERY_SECONDS = 5;

    private final EtcdClient etcd;
    private final String prefix;
    private final PrintStream out;
    /** What this watch has shown, key by key: the picture a fresh read is compared against. */
    private final Map<String, String> shown = new TreeMap<>();

    private WatchCommand(EtcdClient etcd, String prefix, PrintStream out) {
        this.etcd = etcd;
        this.prefix = prefix;
        this.out = out;
    }

    static int run(EtcdClient etcd, String prefix, PrintStream out) throws InterruptedException {
        return new WatchCommand(etcd, prefix, out).run();
    }

    private int run() throws InterruptedException {
        RangeResult now = PagedRange.read(etcd, prefix);
        for (KeyValue kv : now.keyValues()) {
            print(" = " + kv.key() + " " + kv.value());
            shown.put(kv.key(), kv.value());
        }
        while (true) {
            print(" watching " + prefix + " from revision " + (now.revision() + 1));
            boolean compacted = watchUntilItEnds(now.revision() + 1);
            if (compacted) {
                print(" etcd compacted the history past revision " + (now.revision() + 1)
                        + "; reading the instances again");
            }
            boolean[] wasUnreachable = new boolean[1];
            now = readUntilEtcdAnswers(wasUnreachable);
            printDifference(now, wasUnreachable[0]);
        }
    }

    /**
     * Prints each change until the watch ends, or until etcd stops answering; whether it ended because etcd
     * compacted its history.
     */
    private boolean watchUntilItEnds(long fromRevision) throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        boolean[] compacted = new boolean[1];
        WatchHandle watch = etcd.watchPrefix(prefix, fromRevision, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                synchronized (shown) {
                    for (WatchEvent event : events) {
                        if (event.isDelete()) {
                            shown.remove(event.key());
                            print(" - " + event.key());
                        } else {
                            shown.put(event.key(), event.value());
                            print(" + " + event.key() + " " + event.value());
                        }
                    }
                }
            }

            @Override
            public void onClosed(String reason, boolean wasCompacted) {
                compacted[0] = wasCompacted;
                ended.countDown();
            }
        });
        while (!ended.await(PROBE_EVERY_SECONDS, TimeUnit.SECONDS)) {
            try {
                // a watch whose connection went silent (etcd frozen, a network partition) never ends by itself
                etcd.exists(prefix);
            } catch (RuntimeException silent) {
                watch.cancel();
                return false;
            }
        }
        return compacted[0];
    }

    /**
     * The prefix read again, retried while etcd does not answer; says once per kind of failure what it is, and
     * sets {@code wasUnreachable[0]} when there was one.
     */
    private RangeResult readUntilEtcdAnswers(boolean[] wasUnreachable) throws InterruptedException {
        Backoff backoff = new Backoff(250, 5000);
        String lastProblem = null;
        while (true) {
            try {
                RangeResult now = PagedRange.read(etcd, prefix);
                wasUnreachable[0] = lastProblem != null;
                return now;
            } catch (RuntimeException e) {
                String problem = (e instanceof EtcdUnavailableException ? "etcd unreachable: "
                        : "etcd refused to read " + prefix + ": ") + EtcdFailure.describe(e) + "; retrying";
                if (!problem.equals(lastProblem)) {
                    print(" " + problem);
                    lastProblem = problem;
                }
                Thread.sleep(backoff.nextDelayMillis());
            }
        }
    }

    private void printDifference(RangeResult now, boolean afterAnOutage) {
        Map<String, String> fresh = new TreeMap<>();
        for (KeyValue kv : now.keyValues()) {
            fresh.put(kv.key(), kv.value());
        }
        synchronized (shown) {
            List<String> changes = changes(shown, fresh);
            if (afterAnOutage) {
                print(" etcd answers again; " + (changes.isEmpty() ? "nothing changed meanwhile"
                        : changes.size() + " change(s) meanwhile:"));
            }
            changes.forEach(this::print);
            shown.clear();
            shown.putAll(fresh);
        }
    }

    /**
     * The lines that take a watcher from {@code before} to {@code after}: {@code " + key value"} for each key new
     * or changed, then {@code " - key"} for each key gone, as a watch would have printed them.
     */
    static List<String> changes(Map<String, String> before, Map<String, String> after) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> kv : new TreeMap<>(after).entrySet()) {
            if (!kv.getValue().equals(before.get(kv.getKey()))) {
                lines.add(" + " + kv.getKey() + " " + kv.getValue());
            }
        }
        for (String key : new TreeMap<>(before).keySet()) {
            if (!after.containsKey(key)) {
                lines.add(" - " + key);
            }
        }
        return lines;
    }

    private void print(String line) {
        out.println(Instant.now() + line);
        out.flush();
    }
}
