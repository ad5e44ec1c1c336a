package org.grpcetcd.agent.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How one shared watch stream's lines, as etcd's gateway writes them, are told apart by watch. */
class WatchStreamTest {
    private final List<String> heard = new ArrayList<>();
    private final WatchStream.Receiver receiver = new WatchStream.Receiver() {
        @Override
        public void created(WatchStream stream, long watchId) {
            heard.add("created " + watchId);
        }

        @Override
        public void events(WatchStream stream, long watchId, List<WatchEvent> events, long lastRevision) {
            StringBuilder line = new StringBuilder("events " + watchId + " up to " + lastRevision + ":");
            for (WatchEvent event : events) {
                line.append(event.isDelete() ? " -" + event.key() : " +" + event.key() + "=" + event.value());
            }
            heard.add(line.toString());
        }

        @Override
        public void watchEnded(WatchStream stream, long watchId, String reason, boolean compacted) {
            heard.add("ended " + watchId + (compacted ? " compacted" : "") + ": " + reason);
        }

        @Override
        public void streamEnded(WatchStream stream, String reason) {
            heard.add("stream ended: " + reason);
        }
    };

    @Test
    void eventsGoToTheWatchTheyNameWithTheirHighestRevision() {
        WatchStream stream = new WatchStream(receiver, List.of(3L, 4L));
        stream.onNext("{\"result\":{\"header\":{\"revision\":\"7\"},\"watch_id\":\"3\",\"created\":true}}");
        stream.onNext("{\"result\":{\"header\":{\"revision\":\"7\"},\"watch_id\":\"4\",\"created\":true}}");
        stream.onNext("{\"result\":{\"header\":{\"revision\":\"9\"},\"watch_id\":\"4\",\"events\":["
                + "{\"kv\":{\"key\":\"" + b64("b/1") + "\",\"mod_revision\":\"8\",\"value\":\"" + b64("x") + "\"}},"
                + "{\"type\":\"DELETE\",\"kv\":{\"key\":\"" + b64("b/2") + "\",\"mod_revision\":\"9\"}}]}}");

        assertThat(heard).containsExactly("created 3", "created 4", "events 4 up to 9: +b/1=x -b/2");
    }

    @Test
    void aRefusedCreateIsPinnedOnTheWatchWhoseTurnItWas() {
        WatchStream stream = new WatchStream(receiver, List.of(3L, 4L));
        stream.onNext("{\"result\":{\"watch_id\":\"3\",\"created\":true}}");
        // etcd 3.4 answers a create it may not serve with watch id -1
        stream.onNext("{\"result\":{\"watch_id\":\"-1\",\"created\":true,\"canceled\":true,"
                + "\"cancel_reason\":\"etcdserver: permission denied\"}}");

        assertThat(heard).containsExactly("created 3", "ended 4: etcd cancelled the watch: etcdserver: permission denied");
    }

    @Test
    void compactionEndsOnlyItsOwnWatch() {
        WatchStream stream = new WatchStream(receiver, List.of(1L, 2L));
        stream.onNext("{\"result\":{\"watch_id\":\"1\",\"created\":true}}");
        stream.onNext("{\"result\":{\"watch_id\":\"2\",\"created\":true}}");
        stream.onNext("{\"result\":{\"watch_id\":\"2\",\"canceled\":true,\"compact_revision\":\"12\"}}");
        stream.onNext("{\"result\":{\"watch_id\":\"1\",\"events\":[{\"kv\":{\"key\":\"" + b64("a/1")
                + "\",\"mod_revision\":\"13\",\"value\":\"" + b64("y") + "\"}}]}}");

        assertThat(heard).containsExactly("created 1", "created 2",
                "ended 2 compacted: etcd compacted past the watch's revision", "events 1 up to 13: +a/1=y");
    }

    @Test
    void anErrorEndsTheStreamOnceAndCancellingSilencesIt() {
        WatchStream failing = new WatchStream(receiver, List.of(1L));
        failing.onNext("{\"error\":{\"grpc_code\":16,\"message\":\"invalid auth token\"}}");
        failing.onError(new java.io.IOException("closed"));
        WatchStream cancelled = new WatchStream(receiver, List.of(2L));
        cancelled.cancel();
        cancelled.onNext("{\"result\":{\"watch_id\":\"2\",\"created\":true}}");
        cancelled.onComplete();

        assertThat(heard).hasSize(1);
        assertThat(heard.get(0)).startsWith("stream ended: etcd refused the watch: ").contains("invalid auth token");
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
