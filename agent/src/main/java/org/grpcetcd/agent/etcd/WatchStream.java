package org.grpcetcd.agent.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.grpcetcd.agent.json.Json;

/**
 * One watch over HTTP: etcd's gateway answers a watch request with one JSON message per line for as long as
 * the connection lives. Reads them and tells the listener about events and, once, about the end.
 */
final class WatchStream implements Flow.Subscriber<String>, WatchHandle {
    private final WatchListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Flow.Subscription subscription;

    WatchStream(WatchListener listener) {
        this.listener = listener;
    }

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        subscription = newSubscription;
        if (closed.get()) {
            newSubscription.cancel();
        } else {
            newSubscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(String line) {
        if (closed.get() || line.isBlank()) {
            return;
        }
        Map<String, Object> message;
        try {
            message = Json.parseObject(line);
        } catch (IllegalArgumentException e) {
            close("etcd sent an unreadable watch message: " + e.getMessage(), false);
            return;
        }
        if (message.containsKey("error")) {
            close("etcd refused the watch: " + message.get("error"), false);
            return;
        }
        Map<String, Object> result = JsonFields.objectField(message, "result");
        if (JsonFields.longField(result, "compact_revision") > 0) {
            close("etcd compacted past the watch's revision", true);
            return;
        }
        if (JsonFields.booleanField(result, "canceled")) {
            close("etcd cancelled the watch: " + result.get("cancel_reason"), false);
            return;
        }
        if (JsonFields.booleanField(result, "created")) {
            listener.onCreated();
        }
        List<WatchEvent> events = new ArrayList<>();
        for (Map<String, Object> event : JsonFields.objectList(result, "events")) {
            Map<String, Object> kv = JsonFields.objectField(event, "kv");
            String key = EtcdBytes.decode(kv == null ? null : kv.get("key"));
            events.add("DELETE".equals(event.get("type"))
                    ? WatchEvent.delete(key)
                    : WatchEvent.put(key, EtcdBytes.decode(kv.get("value"))));
        }
        if (!events.isEmpty()) {
            listener.onEvents(events);
        }
    }

    @Override
    public void onError(Throwable failure) {
        close("watch connection broke: " + failure, false);
    }

    @Override
    public void onComplete() {
        close("etcd ended the watch", false);
    }

    void close(String reason, boolean compacted) {
        if (closed.compareAndSet(false, true)) {
            cancelSubscription();
            listener.onClosed(reason, compacted);
        }
    }

    @Override
    public void cancel() {
        if (closed.compareAndSet(false, true)) {
            cancelSubscription();
        }
    }

    private void cancelSubscription() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
