package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Start-up: JVM launch → server listening, without an agent, with a do-nothing agent and with ours. */
final class StartupSection extends Section {
    StartupSection(BenchContext context) {
        super(context);
    }

    @Override
    void measure() {
        String service = "bench-startup";
        List<String> kinds = List.of("plain", "empty", "agent");
        for (String kind : kinds) {
            startupOnce(kind, service, "warmup");
        }
        Map<String, Samples[]> samples = new LinkedHashMap<>(); // ready, main, active line, cpu
        for (String kind : kinds) {
            samples.put(kind, new Samples[] {new Samples(), new Samples(), new Samples(), new Samples()});
        }
        for (int i = 0; i < cheapRuns; i++) {
            for (int k = 0; k < kinds.size(); k++) {
                String kind = kinds.get((k + i) % kinds.size());
                double[] t = startupOnce(kind, service, "run" + i);
                for (int j = 0; j < 4; j++) {
                    if (!Double.isNaN(t[j])) {
                        samples.get(kind)[j].add(t[j]);
                    }
                }
            }
            progress("   run " + (i + 1) + "/" + cheapRuns + ": without " + fmt(samples.get("plain")[0], i)
                    + ", empty agent " + fmt(samples.get("empty")[0], i) + ", with " + fmt(samples.get("agent")[0], i));
        }
        Samples off = samples.get("plain")[0];
        Samples empty = samples.get("empty")[0];
        Samples on = samples.get("agent")[0];
        double ratio = on.median() / off.median();
        boolean met = ratio <= 1.15;
        Row row = new Row("start-up: JVM launch → server listening (READY line)", off.summary(Samples.Unit.MS),
                on.summary(Samples.Unit.MS), ratio(ratio) + " (" + signedMs(on.median() - off.median()) + ")",
                "ratio ≤ 1.15", met);
        rows.add(row);
        rows.add(new Row("start-up with a -javaagent that does nothing (the JVM's own cost of any agent)",
                off.summary(Samples.Unit.MS), empty.summary(Samples.Unit.MS),
                ratio(empty.median() / off.median()) + " (" + signedMs(empty.median() - off.median()) + ")", "—",
                null));
        String cds = cdsModuleGraph();
        String split = "launch → main(): " + Samples.Unit.MS.format(samples.get("plain")[1].median()) + " without, "
                + Samples.Unit.MS.format(samples.get("empty")[1].median()) + " with an empty agent, "
                + Samples.Unit.MS.format(samples.get("agent")[1].median()) + " with grpc-etcd-agent (its premain"
                + " installs the class transformer and starts one waiting thread; the agent reads its settings once gRPC"
                + " loads, and hooks the server by retransformation on a thread of its own: its \"active\" line comes "
                + Samples.Unit.MS.format(samples.get("agent")[2].median())
                + " after launch); main() → READY: " + Samples.Unit.MS.format(off.median()
                        - samples.get("plain")[1].median()) + " without, "
                + Samples.Unit.MS.format(on.median() - samples.get("agent")[1].median()) + " with";
        diagnostics.add("Start-up split (medians): " + split + ". CPU time the JVM had used when READY was read (all"
                + " threads; steadier than wall time on a busy machine): "
                + samples.get("plain")[3].summary(Samples.Unit.MS) + " without, "
                + samples.get("empty")[3].summary(Samples.Unit.MS) + " with the empty agent, "
                + samples.get("agent")[3].summary(Samples.Unit.MS) + " with grpc-etcd-agent. " + cds);
        if (!met) {
            row.reason = "grpc-etcd-agent adds " + signedMs(on.median() - off.median()) + " (×" + ratio(ratio)
                    + ") to launch → READY; a -javaagent that does nothing already adds "
                    + signedMs(empty.median() - off.median()) + " (" + cds + "), the agent's own work the other "
                    + signedMs(on.median() - empty.median()) + ". " + split + ".";
        }
    }

    /** What -Xlog:cds says about the archived module graph without and with an agent on the command line. */
    private String cdsModuleGraph() {
        List<String> plain = run(List.of(javaBin, "-Xlog:cds=info", "-version"));
        List<String> agent = run(List.of(javaBin, "-javaagent:" + emptyAgentJar, "-Xlog:cds=info", "-version"));
        return "`java -Xlog:cds` says \"" + grepFirst(plain, "full module graph") + "\" without an agent, \""
                + grepFirst(agent, "full module graph") + "\" with one";
    }

    private static String grepFirst(List<String> lines, String what) {
        for (String line : lines) {
            int at = line.indexOf(what);
            if (at >= 0) {
                return line.substring(at);
            }
        }
        return "(no '" + what + "' line)";
    }

    /**
     * Returns launch→READY, launch→main(), launch→the agent's active line (NaN without agent) and the CPU time the
     * JVM had used when READY was read, in ms.
     */
    private double[] startupOnce(String kind, String service, String tag) {
        List<String> jvm = new ArrayList<>();
        if (kind.equals("empty")) {
            jvm.add("-javaagent:" + emptyAgentJar);
        }
        List<String> command = kind.equals("agent") ? command(true, service, List.of(), "BenchServer", "1")
                : command(false, null, jvm, "BenchServer", "1");
        try (Child c = launch("startup-" + tag + "-" + kind, command)) {
            Child.Line ready = c.await("READY", 30_000);
            double cpu = c.cpuMillis();
            Child.Line main = c.await("MAIN", 1_000);
            double active = Double.NaN;
            if (kind.equals("agent")) {
                Child.Line line = c.await(s -> s.contains(" INFO grpc-etcd-agent ") && s.contains(" active: "), 0,
                        5_000);
                active = ms(c.launchAt, agentTime(line.text));
            }
            return new double[] {(ready.nanos - c.launchNanos) / 1e6, ms(c.launchAt, atOf(main.text)), active, cpu};
        }
    }
}
