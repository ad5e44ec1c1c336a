package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.*;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Propagation: a write in etcd → the list updated in a client JVM. */
final class PropagationSection extends Section {
    PropagationSection(BenchContext context) {
        super(context);
    }

    @Override
    void measure() {
        String prefix = "bench-prop/";
        etcd.deletePrefix(prefix);
        try (Child servers = launch("prop-servers", command(false, null, List.of(), "BenchServer", "2"))) {
            Child.Line ready = servers.await("READY", 30_000);
            String[] ports = field(ready.text, "ports").split(",");
            String base = "127.0.0.1:" + ports[0];
            String moving = "127.0.0.1:" + ports[1];
            etcd.put(prefix + base, Gateway.value(base));
            try (Child client = launch("prop-client", command(true, null, List.of("-Dgrpc.etcd.log-level=debug"),
                    "BenchClient", "interactive"))) {
                client.await("CLIENT-READY", 30_000);
                String marker = "DEBUG endpoints under " + prefix + ": [";
                client.send("open etcd:///bench-prop");
                client.send("call etcd:///bench-prop");
                client.await(s -> s.startsWith("CALL-OK"), 0, 30_000);
                client.await(s -> s.contains(marker), 0, 5_000);
                int changes = quick ? 200 : 1000;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(quick ? 60 : 180);
                Samples all = new Samples();
                Samples adds = new Samples();
                Samples removes = new Samples();
                int missed = 0;
                int wrong = 0;
                int done = 0;
                for (int i = 0; i < changes && System.nanoTime() < end; i++, done++) {
                    boolean add = i % 2 == 0;
                    int idx = client.size();
                    Instant written = Instant.now();
                    if (add) {
                        etcd.put(prefix + moving, Gateway.value(moving));
                    } else {
                        etcd.delete(prefix + moving);
                    }
                    try {
                        Child.Line line = client.await(s -> s.contains(marker), idx, 5_000);
                        if (lists(line.text, moving) != add) {
                            wrong++;
                        }
                        double ms = ms(written, agentTime(line.text));
                        all.add(ms);
                        (add ? adds : removes).add(ms);
                    } catch (BenchException e) {
                        missed++;
                    }
                    if ((i + 1) % 200 == 0) {
                        progress("   " + (i + 1) + "/" + changes + " changes, p50 "
                                + Samples.Unit.MS.format(all.median()) + ", p99 "
                                + Samples.Unit.MS.format(all.percentile(99)));
                    }
                }
                double p99 = all.percentile(99);
                boolean met = p99 <= 50 && missed == 0 && wrong == 0;
                Row row = new Row("propagation: write in etcd → list updated in a client JVM (" + done
                        + " changes, half adds half removals)", "—",
                        "p50 " + Samples.Unit.MS.format(all.median()) + ", p99 " + Samples.Unit.MS.format(p99)
                                + " (max " + Samples.Unit.MS.format(all.max()) + ")", "—", "p99 ≤ 50 ms", met);
                rows.add(row);
                diagnostics.add("Propagation: adds p50 " + Samples.Unit.MS.format(adds.median()) + " / p99 "
                        + Samples.Unit.MS.format(adds.percentile(99)) + ", removals p50 "
                        + Samples.Unit.MS.format(removes.median()) + " / p99 "
                        + Samples.Unit.MS.format(removes.percentile(99)) + "; " + missed
                        + " change(s) not seen within 5 s, " + wrong + " list(s) not matching the change. Measured"
                        + " from just before the bench sends its put/delete to the gateway to the timestamp of the"
                        + " agent's `DEBUG endpoints under bench-prop/` line in the client JVM (same clock), which the"
                        + " agent prints just before handing the list to the channels.");
                if (!met) {
                    row.reason = "p99 " + Samples.Unit.MS.format(p99) + " (p50 " + Samples.Unit.MS.format(all.median())
                            + ")" + (missed > 0 ? "; " + missed + " change(s) never seen" : "")
                            + (wrong > 0 ? "; " + wrong + " list(s) did not match the change" : "") + ".";
                }
            }
        } finally {
            etcd.deletePrefix(prefix);
        }
    }

    private static boolean lists(String line, String address) {
        return line.contains(address + ",") || line.contains(address + "]") || line.contains(address + " ");
    }
}
