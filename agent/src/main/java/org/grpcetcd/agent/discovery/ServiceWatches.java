package org.grpcetcd.agent.discovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.grpcetcd.agent.bootstrap.EndpointListener;
import org.grpcetcd.agent.bootstrap.Subscription;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.thread.Guarded;

/** One {@link ServiceWatch} per key prefix per JVM, however many channels dial it; stopped with its last listener. */
public final class ServiceWatches {
    private final EtcdClient etcd;
    private final ScheduledExecutorService scheduler;
    private final Map<String, ServiceWatch> watches = new ConcurrentHashMap<>(); // changed on the scheduler only

    public ServiceWatches(EtcdClient etcd, ScheduledExecutorService scheduler) {
        this.etcd = etcd;
        this.scheduler = scheduler;
    }

    /** For the status MBean: one line per watched service. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        for (ServiceWatch watch : watches.values()) {
            lines.add(watch.status());
        }
        Collections.sort(lines);
        return lines;
    }

    /**
     * Delivers the endpoints of {@code service} under {@code prefix} (such as {@code orders/}) to
     * {@code listener}.
     */
    public Subscription subscribe(String service, String prefix, EndpointListener listener) {
        scheduler.execute(Guarded.task("starting to watch " + prefix, () -> watches
                .computeIfAbsent(prefix, p -> new ServiceWatch(service, p, etcd, scheduler)).add(listener)));
        return () -> scheduler.execute(Guarded.task("stopping a watch of " + prefix, () -> {
            ServiceWatch watch = watches.get(prefix);
            if (watch != null && watch.remove(listener)) {
                watches.remove(prefix);
            }
        }));
    }
}
