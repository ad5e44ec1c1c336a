package org.grpcetcd.agent.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.KeyValue;
import org.grpcetcd.agent.etcd.RangeResult;
import org.grpcetcd.agent.etcd.WatchEvent;
import org.grpcetcd.agent.etcd.WatchListener;

/** {@code watch SERVICE}: the keys under the service's prefix now, then one line per change. */
final class WatchCommand {
    private WatchCommand() {
    }

    static int run(EtcdClient etcd, String prefix, PrintStream out) throws InterruptedException {
        RangeResult now = PagedRange.read(etcd, prefix);
        for (KeyValue kv : now.keyValues()) {
            out.println(Instant.now() + " = " + kv.key() + " " + kv.value());
        }
        out.println(Instant.now() + " watching " + prefix + " from revision " + (now.revision() + 1));
        out.flush();
        CountDownLatch closed = new CountDownLatch(1);
        String[] reason = new String[1];
        etcd.watchPrefix(prefix, now.revision() + 1, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                for (WatchEvent event : events) {
                    out.println(Instant.now() + (event.isDelete() ? " - " + event.key()
                            : " + " + event.key() + " " + event.value()));
                }
                out.flush();
            }

            @Override
            public void onClosed(String why, boolean compacted) {
                reason[0] = why;
                closed.countDown();
            }
        });
        closed.await();
        out.println(Instant.now() + " watch ended: " + reason[0]);
        return 1;
    }
}
