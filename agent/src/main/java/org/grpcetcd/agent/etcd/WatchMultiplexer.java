package org.grpcetcd.agent.etcd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.grpcetcd.agent.json.Json;

/**
 * Carries every watch of one {@link EtcdClient} on a single streaming request, so a JVM that watches a hundred
 * services holds one watch connection to etcd, not a hundred.
 *
 * <p>etcd's gateway speaks HTTP/1.1 and reads a request's body before it starts answering, so a watch cannot be
 * added to a running stream. When the set of watches changes, a new request that creates all of them replaces
 * the old one. Each watch starts again from the revision after the last event it delivered, so the switch
 * neither loses nor repeats a change. Replacements are queued on {@code reopener}; a burst of new watches (an app
 * building many channels at once) therefore costs one new request, not one each.
 *
 * <p>Listener calls happen while holding this object's lock, so a watch's events are delivered in order and
 * never from a stream that has been replaced; listeners only hand them on.
 */
final class WatchMultiplexer implements WatchStream.Receiver {
    private final EtcdGateway gateway;
    private final Executor reopener;
    private final Map<Long, Watch> watches = new LinkedHashMap<>();
    private long lastWatchId;
    private WatchStream current;
    private boolean reopenPending;

    WatchMultiplexer(EtcdGateway gateway, Executor reopener) {
        this.gateway = gateway;
        this.reopener = reopener;
    }

    synchronized WatchHandle watch(String prefix, long fromRevision, WatchListener listener) {
        long id = ++lastWatchId;
        watches.put(id, new Watch(prefix, fromRevision, listener));
        requestReopen();
        return () -> cancel(id);
    }

    private synchronized void cancel(long id) {
        if (watches.remove(id) != null) {
            requestReopen(); // etcd stops sending its events only when the stream that created it ends
        }
    }

    private void requestReopen() {
        if (!reopenPending) {
            reopenPending = true;
            reopener.execute(this::reopen);
        }
    }

    private void reopen() {
        WatchStream stream;
        StringBuilder body = new StringBuilder();
        synchronized (this) {
            reopenPending = false;
            if (current != null) {
                current.cancel();
                current = null;
            }
            if (watches.isEmpty()) {
                return;
            }
            List<Long> ids = new ArrayList<>(watches.keySet());
            for (Long id : ids) {
                Watch watch = watches.get(id);
                body.append("{\"create_request\":{\"key\":").append(Json.quote(EtcdBytes.encode(watch.prefix)))
                        .append(",\"range_end\":").append(Json.quote(EtcdBytes.prefixRangeEnd(watch.prefix)))
                        .append(",\"start_revision\":\"").append(watch.nextRevision)
                        .append("\",\"watch_id\":\"").append(id).append("\"}}\n");
            }
            stream = new WatchStream(this, ids);
            current = stream;
        }
        try {
            // outside the lock: with a user set, this may first authenticate, a blocking call
            gateway.stream("/v3/watch", body.toString(), stream).whenComplete((response, failure) -> {
                if (failure != null) {
                    stream.close("watch request failed: " + failure);
                }
            });
        } catch (RuntimeException e) {
            stream.close("watch request failed: " + e.getMessage());
        }
    }

    @Override
    public synchronized void created(WatchStream stream, long watchId) {
        Watch watch = liveWatch(stream, watchId);
        if (watch != null) {
            watch.listener.onCreated();
        }
    }

    @Override
    public synchronized void events(WatchStream stream, long watchId, List<WatchEvent> events, long lastRevision) {
        Watch watch = liveWatch(stream, watchId);
        if (watch != null) {
            watch.nextRevision = Math.max(watch.nextRevision, lastRevision + 1);
            watch.listener.onEvents(events);
        }
    }

    @Override
    public synchronized void watchEnded(WatchStream stream, long watchId, String reason, boolean compacted) {
        Watch watch = liveWatch(stream, watchId);
        if (watch != null) {
            watches.remove(watchId);
            watch.listener.onClosed(reason, compacted);
        }
    }

    @Override
    public synchronized void streamEnded(WatchStream stream, String reason) {
        if (stream != current) {
            return;
        }
        current = null;
        List<Watch> ended = new ArrayList<>(watches.values());
        watches.clear();
        for (Watch watch : ended) {
            watch.listener.onClosed(reason, false);
        }
    }

    private Watch liveWatch(WatchStream stream, long watchId) {
        return stream == current ? watches.get(watchId) : null;
    }

    /** One watch: what it covers, where it resumes, and who hears of it. */
    private static final class Watch {
        final String prefix;
        final WatchListener listener;
        long nextRevision;

        Watch(String prefix, long fromRevision, WatchListener listener) {
            this.prefix = prefix;
            this.nextRevision = fromRevision;
            this.listener = listener;
        }
    }
}
