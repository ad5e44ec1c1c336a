package org.grpcetcd.agent.etcd;

import java.util.ArrayList;
import java.util.List;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.ByteSequence;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.Watch;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.common.exception.CompactedException;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.options.WatchOption;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.watch.WatchResponse;

/**
 * One jetcd watch, told to a {@link WatchListener}. jetcd would resume a broken watch by itself; the agent ends it
 * at the first error instead and tells its listener, whose owner reads the keys again and watches anew: so the
 * endpoint list is rebuilt from a fresh read after every outage, and the listener knows when etcd was away.
 */
final class PrefixWatch implements Watch.Listener, WatchHandle {
    private final WatchListener listener;
    private Watch.Watcher watcher;
    private boolean ended;

    PrefixWatch(WatchListener listener) {
        this.listener = listener;
    }

    void start(Watch watches, ByteSequence key, WatchOption option) {
        Watch.Watcher started = watches.watch(key, option, this);
        boolean endedMeanwhile;
        synchronized (this) {
            watcher = started;
            endedMeanwhile = ended;
        }
        if (endedMeanwhile) {
            started.close(); // it failed before watch() returned: stop jetcd from resuming it
        }
    }

    @Override
    public void onNext(WatchResponse response) {
        if (response.isCreatedNotify()) {
            if (live()) {
                listener.onCreated();
            }
            return;
        }
        List<WatchEvent> events = new ArrayList<>();
        for (org.grpcetcd.agent.shaded.io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
            String key = EtcdClient.text(event.getKeyValue().getKey());
            events.add(event.getEventType() == org.grpcetcd.agent.shaded.io.etcd.jetcd.watch.WatchEvent.EventType.DELETE
                    ? WatchEvent.delete(key)
                    : WatchEvent.put(key, EtcdClient.text(event.getKeyValue().getValue())));
        }
        if (!events.isEmpty() && live()) {
            listener.onEvents(events);
        }
    }

    @Override
    public void onError(Throwable failure) {
        end(failure instanceof CompactedException ? "etcd compacted past the watch's revision"
                : "the watch broke: " + EtcdFailure.describe(failure), failure instanceof CompactedException);
    }

    @Override
    public void onCompleted() {
        end("etcd ended the watch", false);
    }

    @Override
    public void cancel() {
        Watch.Watcher running;
        synchronized (this) {
            ended = true;
            running = watcher;
        }
        if (running != null) {
            running.close();
        }
    }

    /** Its client made way for a new connection: the watch ends, and its listener starts over on the new one. */
    void connectionReplaced() {
        if (stop()) {
            listener.onConnectionReplaced();
        }
    }

    private void end(String reason, boolean compacted) {
        if (stop()) {
            listener.onClosed(reason, compacted);
        }
    }

    /** Ends the watch; false when it had ended already (its listener has been told, or needs no telling). */
    private boolean stop() {
        Watch.Watcher running;
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            running = watcher;
        }
        if (running != null) {
            running.close(); // or jetcd would resume it by itself
        }
        return true;
    }

    synchronized boolean ended() {
        return ended;
    }

    private synchronized boolean live() {
        return !ended;
    }
}
