package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up of a Spring Boot gRPC server (bench-spring's echo-spring.jar: the spring-grpc starter, its own gRPC and
 * Netty, started with {@code java -jar}): JVM launch → gRPC server started, without an agent, with a do-nothing
 * agent and with ours. A real app's start-up is mostly its framework's, so the agent's share must be small.
 */
final class SpringStartupSection extends Section {
    private static final List<String> KINDS = List.of("plain", "empty", "agent");

    private final Path springJar;

    SpringStartupSection(BenchContext context, Path springJar) {
        super(context);
        this.springJar = springJar;
    }

    @Override
    void measure() {
        if (springJar == null) {
            throw new BenchException("--spring-jar (bench-spring/target/echo-spring.jar) is not given");
        }
        for (String kind : KINDS) {
            startupOnce(kind, "warmup");
        }
        Map<String, Samples> ready = new LinkedHashMap<>();
        Map<String, Samples> cpu = new LinkedHashMap<>();
        for (String kind : KINDS) {
            ready.put(kind, new Samples());
            cpu.put(kind, new Samples());
        }
        // a Spring Boot launch spreads over ±10 %, wider than the 3 % target: more runs than the other slow rows
        int springRuns = quick ? runs : 11;
        for (int i = 0; i < springRuns; i++) {
            for (int k = 0; k < KINDS.size(); k++) {
                String kind = KINDS.get((k + i) % KINDS.size());
                double[] t = startupOnce(kind, "run" + i);
                ready.get(kind).add(t[0]);
                cpu.get(kind).add(t[1]);
            }
            progress("   run " + (i + 1) + "/" + springRuns + ": without " + fmt(ready.get("plain"), i)
                    + ", empty agent " + fmt(ready.get("empty"), i) + ", with " + fmt(ready.get("agent"), i));
        }
        Samples off = ready.get("plain");
        Samples empty = ready.get("empty");
        Samples on = ready.get("agent");
        double ratio = on.median() / off.median();
        boolean met = ratio <= 1.03;
        Row row = new Row("start-up, Spring Boot gRPC server (spring-grpc starter, java -jar): launch → gRPC server"
                + " started", off.summary(Samples.Unit.MS), on.summary(Samples.Unit.MS),
                ratio(ratio) + " (" + signedMs(on.median() - off.median()) + ")", "ratio ≤ 1.03", met);
        rows.add(row);
        rows.add(new Row("start-up, the same Spring Boot server with a -javaagent that does nothing",
                off.summary(Samples.Unit.MS), empty.summary(Samples.Unit.MS),
                ratio(empty.median() / off.median()) + " (" + signedMs(empty.median() - off.median()) + ")", "—",
                null));
        String cpuText = "CPU time the Spring Boot JVM had used when its gRPC server had started (all threads): "
                + cpu.get("plain").summary(Samples.Unit.MS) + " without, " + cpu.get("empty").summary(Samples.Unit.MS)
                + " with the empty agent, " + cpu.get("agent").summary(Samples.Unit.MS) + " with grpc-etcd-agent";
        diagnostics.add(cpuText + ".");
        if (!met) {
            row.reason = "grpc-etcd-agent adds " + signedMs(on.median() - off.median()) + " (×" + ratio(ratio)
                    + "); a -javaagent that does nothing adds " + signedMs(empty.median() - off.median()) + ". "
                    + cpuText + ".";
        }
    }

    /** Launch → READY and the CPU time the JVM had used then, in ms. */
    private double[] startupOnce(String kind, String tag) {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        if (kind.equals("empty")) {
            command.add("-javaagent:" + emptyAgentJar);
        } else if (kind.equals("agent")) {
            command.add("-javaagent:" + agentJar);
            command.add("-Dgrpc.etcd.endpoints=" + etcdUrl);
            command.add("-Dgrpc.etcd.service=bench-spring");
            command.add("-Dgrpc.etcd.drain-ms=0");
        }
        command.add("-jar");
        command.add(springJar.toString());
        try (Child c = launch("spring-startup-" + tag + "-" + kind, command)) {
            Child.Line line = c.await("READY", 120_000);
            return new double[] {(line.nanos - c.launchNanos) / 1e6, c.cpuMillis()};
        }
    }
}
