package org.grpcetcd.agent.etcd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.grpcetcd.agent.json.Json;

/**
 * One watch request over HTTP, carrying any number of watches: etcd's gateway answers with one JSON message per
 * line, each tagged with the {@code watch_id} it belongs to, for as long as the connection lives. Reads the lines
 * and passes what they say on to the {@link Receiver}.
 */
final class WatchStream implements Flow.Subscriber<String> {
    /** Told about one stream's watches; called on an HTTP client thread. */
    interface Receiver {
        void created(WatchStream stream, long watchId);

        /** {@code lastRevision}: the highest revision among {@code events}. */
        void events(WatchStream stream, long watchId, List<WatchEvent> events, long lastRevision);

        /** etcd ended one watch of the stream; the others go on. */
        void watchEnded(WatchStream stream, long watchId, String reason, boolean compacted);

        /** The whole stream is over (not called after {@link #cancel()}). */
        void streamEnded(WatchStream stream, String reason);
    }

    private final Receiver receiver;
    private final Deque<Long> awaitingCreation; // read on one thread at a time: the subscriber's
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Flow.Subscription subscription;

    /** {@code watchIds}: the ids of the request's create requests, in the order they were sent. */
    WatchStream(Receiver receiver, List<Long> watchIds) {
        this.receiver = receiver;
        this.awaitingCreation = new ArrayDeque<>(watchIds);
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
            close("etcd sent an unreadable watch message: " + e.getMessage());
            return;
        }
        if (message.containsKey("error")) {
            close("etcd refused the watch: " + message.get("error"));
            return;
        }
        Map<String, Object> result = JsonFields.objectField(message, "result");
        long watchId = JsonFields.longField(result, "watch_id");
        boolean created = JsonFields.booleanField(result, "created");
        if (created) {
            // etcd answers the create requests in order; a refused one (no permission) comes back as watch -1
            Long requested = awaitingCreation.poll();
            if (watchId <= 0 && requested != null) {
                watchId = requested;
            }
        }
        if (JsonFields.longField(result, "compact_revision") > 0) {
            receiver.watchEnded(this, watchId, "etcd compacted past the watch's revision", true);
            return;
        }
        if (JsonFields.booleanField(result, "canceled")) {
            receiver.watchEnded(this, watchId, "etcd cancelled the watch: " + result.get("cancel_reason"), false);
            return;
        }
        if (created) {
            receiver.created(this, watchId);
        }
        List<WatchEvent> events = new ArrayList<>();
        long lastRevision = 0;
        for (Map<String, Object> event : JsonFields.objectList(result, "events")) {
            Map<String, Object> kv = JsonFields.objectField(event, "kv");
            String key = EtcdBytes.decode(kv == null ? null : kv.get("key"));
            events.add("DELETE".equals(event.get("type"))
                    ? WatchEvent.delete(key)
                    : WatchEvent.put(key, EtcdBytes.decode(kv.get("value"))));
            lastRevision = Math.max(lastRevision, JsonFields.longField(kv, "mod_revision"));
        }
        if (!events.isEmpty()) {
            receiver.events(this, watchId, events, lastRevision);
        }
    }

    @Override
    public void onError(Throwable failure) {
        close("watch connection broke: " + failure);
    }

    @Override
    public void onComplete() {
        close("etcd ended the watch");
    }

    /** Ends the stream and tells the receiver why; a no-op once cancelled or closed. */
    void close(String reason) {
        if (closed.compareAndSet(false, true)) {
            cancelSubscription();
            receiver.streamEnded(this, reason);
        }
    }

    /** Ends the stream without a word to the receiver, closing its connection. */
    void cancel() {
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
