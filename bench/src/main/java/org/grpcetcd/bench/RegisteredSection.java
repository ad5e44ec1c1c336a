package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Registration: a server's start() returned → its key in etcd, cold (the JVM's first) and warm. */
final class RegisteredSection extends Section {
    RegisteredSection(BenchContext context) {
        super(context);
    }

    @Override
    void measure() {
        String service = "bench-reg";
        Gateway.Watch watch = etcd.watch(service + "/");
        try {
            Samples cold = new Samples();
            Samples coldLogged = new Samples();
            Samples warm = new Samples();
            for (int i = 0; i < runs; i++) {
                double[] t = registeredOnce(watch, service, "", "run" + i, 3, warm);
                cold.add(t[0]);
                coldLogged.add(t[1]);
                progress("   run " + (i + 1) + "/" + runs + ": cold " + fmt(cold, i) + ", warm so far "
                        + Samples.Unit.MS.format(warm.median()));
            }
            boolean coldMet = cold.median() <= 1500;
            boolean warmMet = warm.median() <= 20;
            Row coldRow = new Row("registered, cold: first server's start() returned → key visible in etcd",
                    "—", cold.summary(Samples.Unit.MS), "—", "≤ 1.5 s", coldMet);
            Row warmRow = new Row("registered, warm: a later server in the same JVM (" + warm.size() + " starts)",
                    "—", warm.summary(Samples.Unit.MS), "—", "≤ 20 ms", warmMet);
            rows.add(coldRow);
            rows.add(warmRow);
            diagnostics.add("Cold registration: the agent logs \"registered\" (once etcd has answered its put) "
                    + Samples.Unit.MS.format(coldLogged.median()) + " after start() returned (median), the bench's"
                    + " own watch sees the key after " + Samples.Unit.MS.format(cold.median()) + ".");
            if (!quick) {
                coldDiagnostics(watch, service, cold);
            }
            if (!coldMet) {
                coldRow.reason = "median " + Samples.Unit.MS.format(cold.median())
                        + "; see the cold-registration diagnostics for what the time goes to.";
            }
            if (!warmMet) {
                warmRow.reason = "median " + Samples.Unit.MS.format(warm.median()) + ", max "
                        + Samples.Unit.MS.format(warm.max()) + " for one put on an already granted lease.";
            }
        } finally {
            watch.cancel();
        }
    }

    /**
     * One server JVM with the agent: the first server's start() → key in etcd (and → the agent's "registered"
     * line), then {@code warmStarts} more servers, each one's start() → key added to {@code warm}.
     */
    private double[] registeredOnce(Gateway.Watch watch, String service, String flags, String tag, int warmStarts,
            Samples warm) {
        List<String> args = new ArrayList<>(List.of("1"));
        if (!flags.isEmpty()) {
            args.addAll(Arrays.asList(flags.split(" ")));
        }
        int from = watch.size();
        try (Child c = launch("registered-" + tag, command(true, service, List.of(), "BenchServer",
                args.toArray(new String[0])))) {
            Child.Line ready = c.await("READY", 30_000);
            int port = firstPort(ready.text);
            String key = service + "/127.0.0.1:" + port;
            Gateway.Event seen = watch.await(key, false, from, 15_000);
            Child.Line logged = c.await(s -> s.contains(" INFO registered " + key + " "), 0, 15_000);
            Instant started = atOf(ready.text);
            double[] result = {ms(started, seen.at), ms(started, agentTime(logged.text))};
            for (int j = 0; j < warmStarts; j++) {
                sleep(400);
                int idx = c.size();
                int watchFrom = watch.size();
                c.send("start");
                Child.Line line = c.await(s -> s.startsWith("STARTED"), idx, 10_000);
                String warmKey = service + "/127.0.0.1:" + intField(line.text, "port");
                warm.add(ms(atOf(line.text), watch.await(warmKey, false, watchFrom, 10_000).at));
            }
            return result;
        }
    }

    /** Cold registration again, with and without the app loading JMX before its server starts. */
    private void coldDiagnostics(Gateway.Watch watch, String service, Samples mainRuns) {
        String[] variants = {"", "--prewarm-jmx"};
        Map<String, Samples> byVariant = new LinkedHashMap<>();
        for (String variant : variants) {
            byVariant.put(variant, new Samples());
        }
        int diagRuns = 3;
        for (int i = 0; i < diagRuns; i++) {
            for (int v = 0; v < variants.length; v++) {
                String variant = variants[(v + i) % variants.length];
                byVariant.get(variant).add(registeredOnce(watch, service, variant, "diag" + i + "-"
                        + (variant.isEmpty() ? "plain" : variant.replace("--", "").replace(' ', '+')), 0,
                        new Samples())[0]);
            }
        }
        StringBuilder text = new StringBuilder("Cold registration, what the time goes to (start() returned → key"
                + " in etcd, median of " + diagRuns + " interleaved runs each, same app; the flags make the app"
                + " itself load something before its server starts):");
        for (Map.Entry<String, Samples> entry : byVariant.entrySet()) {
            text.append(" ").append(entry.getKey().isEmpty() ? "as is" : entry.getKey()).append(": ")
                    .append(entry.getValue().summary(Samples.Unit.MS)).append(";");
        }
        double plain = byVariant.get("").median();
        double noJmx = byVariant.get("--prewarm-jmx").median();
        text.append(String.format(Locale.ROOT, " so about %.0f ms go to loading JMX (the agent publishes its MBean on"
                + " its own thread) and %.0f ms remain (loading jetcd, its gRPC, Netty, Vert.x and protobuf in the"
                + " agent's class loader, the first connection, lease grant + put, the agent's own classes).",
                plain - noJmx, noJmx));
        diagnostics.add(text.toString());
    }
}
