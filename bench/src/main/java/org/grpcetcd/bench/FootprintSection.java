package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.*;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Footprint: heap, threads and jar size of an idle server app with the agent. */
final class FootprintSection extends Section {
    FootprintSection(BenchContext context) {
        super(context);
    }

    @Override
    void measure() {
        String service = "bench-foot";
        Gateway.Watch watch = etcd.watch(service + "/");
        try {
            Samples heapOff = new Samples();
            Samples heapOn = new Samples();
            Samples metaOff = new Samples();
            Samples metaOn = new Samples();
            Samples threadsOff = new Samples();
            Samples threadsOn = new Samples();
            TreeSet<String> namesOff = new TreeSet<>();
            TreeSet<String> namesOn = new TreeSet<>();
            for (int i = 0; i < runs; i++) {
                for (boolean agent : order(i)) {
                    int from = watch.size();
                    try (Child c = launch("footprint-" + (agent ? "agent" : "plain") + i, command(agent, service,
                            List.of(), "BenchServer", "1"))) {
                        Child.Line ready = c.await("READY", 30_000);
                        if (agent) {
                            watch.await(service + "/127.0.0.1:" + firstPort(ready.text), false, from, 15_000);
                        }
                        sleep(quick ? 2_000 : 3_000); // idle
                        int idx = c.size();
                        c.send("stats");
                        String stats = c.await(s -> s.startsWith("STATS"), idx, 10_000).text;
                        (agent ? heapOn : heapOff).add(intField(stats, "heapUsed") / MB);
                        (agent ? metaOn : metaOff).add(intField(stats, "metaspace") / MB);
                        (agent ? threadsOn : threadsOff).add(intField(stats, "threads"));
                        (agent ? namesOn : namesOff).addAll(Arrays.asList(
                                stats.substring(stats.indexOf("names=") + 6).split("\\|")));
                    }
                }
                progress("   run " + (i + 1) + "/" + runs + ": heap without " + fmt(heapOff, i, Samples.Unit.MB)
                        + ", with " + fmt(heapOn, i, Samples.Unit.MB));
            }
            double heapAdded = heapOn.median() - heapOff.median();
            double threadsAdded = threadsOn.median() - threadsOff.median();
            boolean heapMet = heapOn.median() <= 16;
            boolean threadsMet = threadsAdded <= 6;
            Row heapRow = new Row("footprint: idle server app, heap used after GC", heapOff.summary(Samples.Unit.MB),
                    heapOn.summary(Samples.Unit.MB), "+" + Samples.Unit.MB.format(heapAdded), "≤ 16 MB heap",
                    heapMet);
            Row threadRow = new Row("footprint: idle server app, live threads", threadsOff.summary(Samples.Unit.COUNT),
                    threadsOn.summary(Samples.Unit.COUNT), "+" + Samples.Unit.COUNT.format(threadsAdded)
                            + " threads", "≤ 6 threads added", threadsMet);
            rows.add(heapRow);
            rows.add(threadRow);
            TreeSet<String> added = new TreeSet<>(namesOn);
            added.removeAll(namesOff);
            long jar = size(agentJar);
            rows.add(new Row("footprint: agent jar size", "—", String.format(Locale.ROOT, "%.0f KiB (%d bytes)",
                    jar / 1024.0, jar), "—", "—", null));
            diagnostics.add("Footprint: threads the agent adds: " + String.join(", ", added) + ". Metaspace "
                    + Samples.Unit.MB.format(metaOff.median()) + " without, " + Samples.Unit.MB.format(metaOn.median())
                    + " with the agent (+" + Samples.Unit.MB.format(metaOn.median() - metaOff.median())
                    + ": the agent's classes, jetcd and its libraries, and JMX; not heap).");
            if (!heapMet) {
                heapRow.reason = "median " + Samples.Unit.MB.format(heapOn.median()) + " with the agent, of which "
                        + Samples.Unit.MB.format(heapAdded) + " added by the agent.";
            }
            if (!threadsMet) {
                threadRow.reason = "+" + Samples.Unit.COUNT.format(threadsAdded) + ": " + String.join(", ", added);
            }
        } finally {
            watch.cancel();
        }
    }
}
