package org.grpcetcd.agent.discovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.bootstrap.Endpoint;
import org.grpcetcd.agent.bootstrap.EndpointListener;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.KeyValue;
import org.grpcetcd.agent.etcd.RangeResult;
import org.grpcetcd.agent.etcd.WatchEvent;
import org.grpcetcd.agent.etcd.WatchHandle;
import org.grpcetcd.agent.etcd.WatchListener;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.log.FailureEpisode;
import org.grpcetcd.agent.thread.Backoff;
import org.grpcetcd.agent.thread.Guarded;

/**
 * One service's endpoints, shared by every channel of the JVM: a get of the prefix, then a watch from the next
 * revision so no change falls between the two. When the watch breaks, the get and the watch start over with
 * backoff, and listeners keep the last list they were given. When etcd says there is no endpoint (a name nobody
 * registers, the last instance gone), or has never answered, listeners are told why, so calls fail fast.
 *
 * <p>Confined to the agent's scheduler thread: watch callbacks hop onto it before touching any state.
 */
final class ServiceWatch {
    private final String prefix;
    private final String service;
    private final EtcdClient etcd;
    private final ScheduledExecutorService scheduler;
    private final List<EndpointListener> listeners = new ArrayList<>();
    private final Map<String, Endpoint> byKey = new TreeMap<>();
    private final Set<String> reportedKeys = new HashSet<>();
    private final Backoff backoff = new Backoff(100, 1000);
    private final FailureEpisode episode;

    private volatile List<Endpoint> published = List.of();
    private volatile Instant lastChange;
    private WatchHandle watch;
    private ScheduledFuture<?> retry;
    private long generation;
    private volatile int listenerCount;
    private boolean answeredEmpty;
    private boolean answered;
    private String unanswered; // why etcd has not answered yet, as last told to listeners
    private long revision; // of the last get
    private boolean watchingLogged;
    private boolean stopped;

    ServiceWatch(String service, String prefix, EtcdClient etcd, ScheduledExecutorService scheduler) {
        this.service = service;
        this.prefix = prefix;
        this.etcd = etcd;
        this.scheduler = scheduler;
        this.episode = new FailureEpisode("watching " + prefix + " in etcd " + etcd.endpoints());
    }

    void add(EndpointListener listener) {
        listeners.add(listener);
        listenerCount = listeners.size();
        if (!published.isEmpty()) {
            deliver(listener, published);
        } else if (answeredEmpty) {
            listener.onNoEndpoints(noInstance());
        } else if (unanswered != null) {
            listener.onEtcdUnanswered(unanswered);
        }
        if (listeners.size() == 1) {
            sync();
        }
    }

    /** Removes a listener; returns true when none is left and the watch has stopped. */
    boolean remove(EndpointListener listener) {
        listeners.remove(listener);
        listenerCount = listeners.size();
        if (!listeners.isEmpty()) {
            return false;
        }
        stopped = true;
        generation++;
        if (watch != null) {
            watch.cancel();
            watch = null;
        }
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        return true;
    }

    /** For the status MBean; any thread may ask. */
    String status() {
        return prefix + " endpoints=" + published.size() + " last-change=" + lastChange
                + " listeners=" + listenerCount;
    }

    private void sync() {
        retry = null;
        if (stopped) {
            return;
        }
        RangeResult range;
        try {
            range = etcd.rangePrefix(prefix);
        } catch (RuntimeException e) {
            String reason = AgentLog.describe(e);
            if (!answered) {
                tellUnanswered("etcd at " + etcd.endpoints() + " has not answered yet: " + reason);
            }
            failed(reason);
            return;
        }
        answered = true;
        unanswered = null;
        boolean first = !watchingLogged;
        // a revision lower than the last one read: another history (etcd restarted without its data), in which
        // the servers have not registered again yet; they do within a TTL, so channels keep what they know
        boolean historyLost = range.revision() < revision;
        revision = range.revision();
        byKey.clear();
        for (KeyValue kv : range.keyValues()) {
            apply(WatchEvent.put(kv.key(), kv.value()));
        }
        if (first && byKey.isEmpty()) {
            tellNoEndpoints(); // publish() only speaks of changes
        }
        if (historyLost && byKey.isEmpty() && !published.isEmpty()) {
            AgentLog.info("etcd's revision went back to " + revision + " (restarted without its data?) and lists no"
                    + " endpoint under " + prefix + "; channels keep the last " + published.size()
                    + " until servers register again");
        } else {
            publish();
        }
        if (first) {
            watchingLogged = true;
            AgentLog.info("watching " + prefix + " in etcd: " + published.size() + " endpoint(s) now");
        }
        openWatch(range.revision() + 1);
    }

    private void openWatch(long fromRevision) {
        long myGeneration = ++generation;
        watch = etcd.watchPrefix(prefix, fromRevision, new WatchListener() {
            @Override
            public void onCreated() {
                onScheduler(myGeneration, () -> {
                    episode.succeeded(); // read and watching again: the outage, if any, is over
                    backoff.reset();
                });
            }

            @Override
            public void onEvents(List<WatchEvent> events) {
                onScheduler(myGeneration, () -> {
                    events.forEach(ServiceWatch.this::apply);
                    publish();
                });
            }

            @Override
            public void onConnectionReplaced() {
                // new credentials: read again and watch anew on the new connection, quietly (no outage), while
                // channels keep their list; the get and the watch from its next revision leave no change out
                onScheduler(myGeneration, () -> {
                    watch = null;
                    sync();
                });
            }

            @Override
            public void onClosed(String reason, boolean compacted) {
                onScheduler(myGeneration, () -> {
                    watch = null;
                    if (compacted) {
                        sync(); // start over from a fresh get; nothing is lost
                    } else {
                        failed(reason);
                    }
                });
            }
        });
    }

    private void onScheduler(long watchGeneration, Runnable task) {
        scheduler.execute(Guarded.task("watching " + prefix, () -> {
            if (!stopped && watchGeneration == generation) {
                task.run();
            }
        }));
    }

    private void failed(String reason) {
        episode.failed(reason + (published.isEmpty() ? "" : "; channels keep the last " + published.size()
                + " endpoint(s)"));
        retry = scheduler.schedule(Guarded.task("watching " + prefix, this::sync), backoff.nextDelayMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void apply(WatchEvent event) {
        if (event.isDelete()) {
            byKey.remove(event.key());
            return;
        }
        try {
            byKey.put(event.key(), EndpointValues.parse(event.value()));
        } catch (IllegalArgumentException e) {
            byKey.remove(event.key());
            if (reportedKeys.add(event.key())) {
                AgentLog.warn("skipping etcd key " + event.key() + ": " + e.getMessage()
                        + "; expected {\"Addr\":\"host:port\"} or host:port");
            }
        }
    }

    private void publish() {
        List<Endpoint> current = new ArrayList<>(new LinkedHashSet<>(byKey.values()));
        if (current.isEmpty()) {
            if (!published.isEmpty()) {
                published = List.of();
                lastChange = Instant.now();
                AgentLog.info("etcd lists no endpoint under " + prefix + " any more; calls on it fail fast until"
                        + " one registers");
                tellNoEndpoints();
            }
            return;
        }
        if (current.equals(published)) {
            return;
        }
        published = List.copyOf(current);
        lastChange = Instant.now();
        answeredEmpty = false;
        AgentLog.debug("endpoints under " + prefix + ": " + published);
        for (EndpointListener listener : listeners) {
            deliver(listener, published);
        }
    }

    private String noInstance() {
        return "no instance of " + service + " registered in etcd at " + etcd.endpoints();
    }

    private void tellNoEndpoints() {
        answeredEmpty = true;
        String description = noInstance();
        for (EndpointListener listener : listeners) {
            tell(() -> listener.onNoEndpoints(description));
        }
    }

    /** Said again only when the reason changes: every retry would otherwise repeat it. */
    private void tellUnanswered(String description) {
        if (description.equals(unanswered)) {
            return;
        }
        unanswered = description;
        for (EndpointListener listener : listeners) {
            tell(() -> listener.onEtcdUnanswered(description));
        }
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            AgentLog.warn("a channel on " + prefix + " refused news of its endpoints: " + AgentLog.describe(e));
        }
    }

    private void deliver(EndpointListener listener, List<Endpoint> endpoints) {
        try {
            listener.onEndpoints(endpoints);
        } catch (RuntimeException e) {
            AgentLog.warn("a channel on " + prefix + " refused its endpoints: " + AgentLog.describe(e));
        }
    }
}
