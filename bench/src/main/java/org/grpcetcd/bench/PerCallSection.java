package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-call cost: calls per second over etcd:/// against a fixed address to the same server. */
final class PerCallSection extends Section {
    private final Child server;

    PerCallSection(BenchContext context, Child server) {
        super(context);
        this.server = server;
    }

    /**
     * Per-call cost. The target row compares the two channels inside each client JVM, taking turns on the same
     * server: calls/s swing by ±8 % from one JVM launch to the next (JIT), far more than the 2 % the target
     * allows, while two channels of one JVM share its JIT, heap and machine. The agent touches nothing on the
     * call path but the etcd:/// channel's resolver and balancing, so that is what is compared. Each round of
     * turns gives one ratio (adjacent blocks, so slow drifts of the machine cancel); the row gives the median of
     * all rounds of all JVMs with its 95 % interval. The same turns in JVMs without the agent (two
     * 127.0.0.1:port channels) show how far the method itself varies; the comparison across separate launches is
     * kept as a row of its own.
     */
    @Override
    void measure() {
        int port = firstPort(server.await("READY", 1_000).text);
        String fixed = "127.0.0.1:" + port;
        String viaEtcd = "etcd:///bench-echo";
        int pairedRuns = quick ? runs : 5;
        int rounds = quick ? 4 : 12;
        long blockMs = 1_000;
        long warmupMs = quick ? 2_000 : 4_000;
        Samples fixedRate = new Samples();
        Samples etcdRate = new Samples();
        Samples pairRatio = new Samples();
        Samples fixedCpu = new Samples();
        Samples etcdCpu = new Samples();
        Samples controlRate = new Samples();
        Samples controlRatio = new Samples();
        for (int i = 0; i < pairedRuns; i++) {
            for (boolean agent : order(i)) {
                Turns turns = alternating(agent, agent ? viaEtcd : fixed, fixed, "run" + i, rounds, blockMs,
                        warmupMs);
                if (agent) {
                    turns.firstRate.forEach(etcdRate::add);
                    turns.secondRate.forEach(fixedRate::add);
                    turns.ratios.forEach(pairRatio::add);
                    turns.firstCpu.forEach(etcdCpu::add);
                    turns.secondCpu.forEach(fixedCpu::add);
                } else {
                    turns.secondRate.forEach(controlRate::add);
                    turns.ratios.forEach(controlRatio::add);
                }
            }
            progress("   run " + (i + 1) + "/" + pairedRuns + ": with the agent etcd:/// / fixed = "
                    + ratio(pairRatio.median()) + ", without it fixed / fixed = " + ratio(controlRatio.median())
                    + " (medians of the rounds so far)");
        }
        double ratio = pairRatio.median();
        boolean met = ratio >= 0.98;
        Row row = new Row("per-call cost: unary calls/s, 2 caller threads, 127.0.0.1:port vs etcd:/// channels to the"
                + " same server taking turns in " + blockMs / 1000 + " s blocks inside each client JVM with the agent ("
                + warmupMs / 1000 + " s warm-up, then " + rounds + " rounds in ABBA order; " + pairedRuns
                + " JVMs; ratio: median of the " + pairRatio.size() + " rounds' etcd:/// / fixed, 95 % interval)",
                fixedRate.summary(Samples.Unit.CALLS_PER_S), etcdRate.summary(Samples.Unit.CALLS_PER_S),
                ratioWithInterval(pairRatio), "ratio ≥ 0.98", met);
        rows.add(row);
        rows.add(new Row("per-call cost, the same turns in client JVMs without the agent, two 127.0.0.1:port"
                + " channels (how far the method itself varies: ideally 1)",
                controlRate.summary(Samples.Unit.CALLS_PER_S),
                "—", ratioWithInterval(controlRatio), "—", null));
        diagnostics.add("Per-call cost, client JVM CPU time per call in the rounds with the agent: "
                + fixedCpu.summary(Samples.Unit.US) + " on the 127.0.0.1:port channel, "
                + etcdCpu.summary(Samples.Unit.US) + " on the etcd:/// one; ratio "
                + ratio(etcdCpu.median() / fixedCpu.median()) + ". One block's rate varies by about ±10 % on this"
                + " machine (the server, the client and their JIT and GC threads share 2 CPUs).");
        if (!met) {
            row.reason = "median " + ratioWithInterval(pairRatio) + " of the fixed-address rate in the same JVMs;"
                    + " between two identical channels the same method gives " + ratioWithInterval(controlRatio);
        }
        separateLaunches(fixed, viaEtcd);
    }

    private static String ratioWithInterval(Samples ratios) {
        double[] interval = ratios.medianInterval95();
        return ratio(ratios.median()) + " (95 %: " + ratio(interval[0]) + "–" + ratio(interval[1]) + ")";
    }

    /** The per-call comparison across JVM launches: no agent + fixed address against agent + etcd:///. */
    private void separateLaunches(String fixed, String viaEtcd) {
        int threads = 2;
        long warmupMs = 2_000;
        long measureMs = quick ? 2_000 : 3_000;
        int rateRuns = quick ? runs : 5;
        ClientVariant plain = new ClientVariant("plain", false, fixed, List.of());
        ClientVariant etcdVariant = new ClientVariant("etcd", true, viaEtcd, List.of());
        List<ClientVariant> variants = List.of(plain, etcdVariant);
        Map<ClientVariant, Samples> samples = new LinkedHashMap<>();
        for (ClientVariant v : variants) {
            samples.put(v, new Samples());
        }
        for (int i = 0; i < rateRuns; i++) {
            for (int k = 0; k < variants.size(); k++) {
                ClientVariant v = variants.get((k + i) % variants.size());
                samples.get(v).add(rateOnce(v, "run" + i, threads, warmupMs, measureMs)[0]);
            }
        }
        rows.add(new Row("per-call cost across separate JVM launches: unary calls/s, " + threads + " caller threads, "
                + measureMs / 1000 + " s after " + warmupMs / 1000 + " s warm-up (no agent + 127.0.0.1:port vs agent"
                + " + etcd:///; spread " + spread(samples.get(plain)) + " and " + spread(samples.get(etcdVariant))
                + ")", samples.get(plain).summary(Samples.Unit.CALLS_PER_S),
                samples.get(etcdVariant).summary(Samples.Unit.CALLS_PER_S),
                ratio(samples.get(etcdVariant).median() / samples.get(plain).median()), "—", null));
    }

    /** One client JVM's rounds of turns: each block's rate and CPU per call, and each round's ratio. */
    private static final class Turns {
        final List<Double> firstRate = new ArrayList<>();
        final List<Double> secondRate = new ArrayList<>();
        final List<Double> firstCpu = new ArrayList<>();
        final List<Double> secondCpu = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>(); // first / second, per round
    }

    /** One client JVM, two channels taking turns in blocks of {@code blockMs}. */
    private Turns alternating(boolean agent, String first, String second, String tag, int rounds, long blockMs,
            long warmupMs) {
        Turns turns = new Turns();
        try (Child c = launch("rate-turns-" + (agent ? "agent" : "plain") + "-" + tag, command(agent, null,
                List.of(), "BenchClient", "alternate", first, second, Integer.toString(rounds),
                Long.toString(blockMs), Long.toString(warmupMs)))) {
            int from = 0;
            for (int round = 0; round < rounds; round++) {
                double[] rate = new double[2];
                for (int turn = 0; turn < 2; turn++) {
                    Child.Line line = c.await(text -> text.startsWith("BLOCK "), from, 60_000 + warmupMs);
                    from = line.index + 1;
                    int which = Integer.parseInt(line.text.split(" ")[1]); // BLOCK <0|1> <target> ...
                    long calls = intField(line.text, "calls");
                    rate[which] = calls * 1000.0 / blockMs;
                    double cpuPerCall = intField(line.text, "cpuMs") * 1000.0 / Math.max(1, calls);
                    (which == 0 ? turns.firstRate : turns.secondRate).add(rate[which]);
                    (which == 0 ? turns.firstCpu : turns.secondCpu).add(cpuPerCall);
                }
                turns.ratios.add(rate[0] / rate[1]);
            }
            c.awaitExit(10_000);
        }
        return turns;
    }

    /** Calls per second and client CPU microseconds per call of one bounded run. */
    private double[] rateOnce(ClientVariant v, String tag, int threads, long warmupMs, long measureMs) {
        List<String> args = new ArrayList<>(List.of("rate", v.target, Integer.toString(threads),
                Long.toString(warmupMs), Long.toString(measureMs)));
        try (Child c = launch("rate-" + v.name + "-" + tag, command(v.agent, null, v.props, "BenchClient",
                args.toArray(new String[0])))) {
            Child.Line line = c.await("RATE", warmupMs + measureMs + 40_000);
            if (intField(line.text, "errors") > 0) {
                throw new BenchException(c.label + ": calls failed: " + line.text);
            }
            double seconds = Double.parseDouble(field(line.text, "seconds"));
            long calls = intField(line.text, "calls");
            c.awaitExit(10_000);
            return new double[] {calls / seconds, intField(line.text, "cpuMs") * 1000.0 / Math.max(1, calls)};
        }
    }
}
