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
 * backoff, and listeners keep the last list they were given; an empty list is never passed on.
 *
 * <p>Confined to the agent's scheduler thread: watch callbacks hop onto it before touching any state.
 */
final class ServiceWatch {
    private final String prefix;
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
    private boolean watchingLogged;
    private boolean stopped;

    ServiceWatch(String prefix, EtcdClient etcd, ScheduledExecutorService scheduler) {
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
            listener.onNoEndpoints();
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
            failed(AgentLog.describe(e));
            return;
        }
        byKey.clear();
        for (KeyValue kv : range.keyValues()) {
            apply(WatchEvent.put(kv.key(), kv.value()));
        }
        publish();
        if (!watchingLogged) {
            watchingLogged = true;
            AgentLog.info("watching " + prefix + " in etcd: " + published.size() + " endpoint(s) now");
        }
        answeredEmpty = published.isEmpty();
        if (answeredEmpty) {
            for (EndpointListener listener : listeners) {
                listener.onNoEndpoints();
            }
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
                AgentLog.info("etcd lists no endpoint under " + prefix + "; channels keep the last "
                        + published.size());
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

    private void deliver(EndpointListener listener, List<Endpoint> endpoints) {
        try {
            listener.onEndpoints(endpoints);
        } catch (RuntimeException e) {
            AgentLog.warn("a channel on " + prefix + " refused its endpoints: " + AgentLog.describe(e));
        }
    }
}
