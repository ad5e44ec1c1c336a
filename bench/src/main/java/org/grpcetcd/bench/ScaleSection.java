package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Scale: 1,000 instances of one service, 100 services in one JVM. */
final class ScaleSection extends Section {
    ScaleSection(BenchContext context) {
        super(context);
    }

    @Override
    void measure() {
        String big = "bench-big/";
        String warmPrefix = "bench-warm/";
        int instances = 1000;
        int services = 100;
        etcd.deletePrefix(big);
        try (Child server = launch("scale-server", command(false, null, List.of(), "BenchServer", "1"))) {
            String real = "127.0.0.1:" + firstPort(server.await("READY", 30_000).text);
            long writeStart = System.nanoTime();
            for (int i = 0; i < instances; i++) {
                // closed loopback ports: a value in etcd, nothing listening (connections are refused at once)
                String address = "127.0.0.1:" + (1 + i);
                etcd.put(big + address, Gateway.value(address));
            }
            double writeMs = (System.nanoTime() - writeStart) / 1e6;
            if (etcd.count(big) != instances) {
                throw new BenchException("etcd holds " + etcd.count(big) + " keys under " + big);
            }
            etcd.put(warmPrefix + real, Gateway.value(real));
            progress("   wrote " + instances + " keys in " + Samples.Unit.MS.format(writeMs));
            bigList(big, instances);
            manyServices(real, services);
        } finally {
            etcd.deletePrefix(big);
            etcd.deletePrefix(warmPrefix);
            etcd.deletePrefix("bench-many-");
        }
    }

    private void bigList(String big, int instances) {
        // the agent cuts long log lines, saying how long the message was: a list of all 1,000 has this length
        List<String> all = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            all.add("127.0.0.1:" + (1 + i));
        }
        int fullLength = ("endpoints under " + big + ": [" + String.join(", ", all) + "]").length();
        Samples cold = new Samples();
        Samples warm = new Samples();
        for (int i = 0; i < runs; i++) {
            for (boolean isCold : order(i)) {
                try (Child c = launch("scale-big-" + (isCold ? "cold" : "warm") + i, command(true, null,
                        List.of("-Dgrpc.etcd.log-level=debug"), "BenchClient", "interactive"))) {
                    c.await("CLIENT-READY", 30_000);
                    if (!isCold) {
                        c.send("open etcd:///bench-warm");
                        c.await(s -> s.contains("DEBUG endpoints under bench-warm/: ["), 0, 10_000);
                        sleep(500);
                    }
                    int idx = c.size();
                    c.send("open etcd:///bench-big");
                    Child.Line open = c.await(s -> s.startsWith("OPEN etcd:///bench-big"), idx, 10_000);
                    Child.Line list = c.await(s -> s.contains("DEBUG endpoints under " + big + ": [")
                            && (count(s, "127.0.0.1:") >= instances || s.endsWith("...(" + fullLength + " characters)")),
                            idx, 30_000);
                    (isCold ? cold : warm).add(ms(atOf(open.text), agentTime(list.text)));
                }
            }
            progress("   run " + (i + 1) + "/" + runs + ": first channel in the JVM " + fmt(cold, i)
                    + ", new channel in a running agent " + fmt(warm, i));
        }
        Row coldRow = new Row("scale: 1,000 instances, first list of a channel, first channel of the JVM (subscribe →"
                + " list of 1,000)", "—", cold.summary(Samples.Unit.MS), "—", "≤ 500 ms", cold.median() <= 500);
        Row warmRow = new Row("scale: 1,000 instances, first list of a new channel, agent already running", "—",
                warm.summary(Samples.Unit.MS), "—", "≤ 500 ms", warm.median() <= 500);
        rows.add(coldRow);
        rows.add(warmRow);
        if (!coldRow.met) {
            coldRow.reason = "median " + Samples.Unit.MS.format(cold.median()) + " vs "
                    + Samples.Unit.MS.format(warm.median()) + " once the agent runs: the first channel also pays"
                    + " for starting the agent's etcd client (loading jetcd and its libraries, threads, first connection).";
        }
        if (!warmRow.met) {
            warmRow.reason = "median " + Samples.Unit.MS.format(warm.median()) + " to get and parse 1,000 keys.";
        }
    }

    private void manyServices(String real, int services) {
        etcd.deletePrefix("bench-many-");
        etcd.put("bench-many-base/" + real, Gateway.value(real));
        for (int i = 0; i < services; i++) {
            etcd.put(String.format(Locale.ROOT, "bench-many-%03d/", i) + real, Gateway.value(real));
        }
        Samples connections = new Samples();
        Samples connectionsPlain = new Samples();
        Samples perServiceOn = new Samples();
        Samples perServiceOff = new Samples();
        Samples threadsOn = new Samples();
        Samples threadsOff = new Samples();
        for (int i = 0; i < runs; i++) {
            for (boolean agent : order(i)) {
                try (Child c = launch("scale-many-" + (agent ? "agent" : "plain") + i, command(agent, null,
                        List.of(), "BenchClient", "interactive"))) {
                    c.await("CLIENT-READY", 30_000);
                    String baseTarget = agent ? "etcd:///bench-many-base" : real;
                    c.send("open " + baseTarget);
                    c.send("ready " + baseTarget);
                    Child.Line state = c.await(s -> s.startsWith("STATE "), 0, 30_000);
                    if (!state.text.endsWith(" 1")) {
                        throw new BenchException(c.label + ": base channel not ready: " + state.text);
                    }
                    int idx = c.size();
                    c.send("stats");
                    long heapBase = intField(c.await(s -> s.startsWith("STATS"), idx, 10_000).text, "heapUsed");
                    idx = c.size();
                    c.send("many " + (agent ? "etcd:///bench-many-%03d" : real) + " " + services);
                    Child.Line many = c.await(s -> s.startsWith("MANY-OPEN"), idx, 90_000);
                    if (intField(many.text, "ready") != services) {
                        throw new BenchException(c.label + ": not every channel got ready: " + many.text);
                    }
                    sleep(1_000);
                    int established = etcdConnections(c.pid());
                    idx = c.size();
                    c.send("stats");
                    Child.Line stats = c.await(s -> s.startsWith("STATS"), idx, 10_000);
                    double perService = (intField(stats.text, "heapUsed") - heapBase) / 1024.0 / services;
                    (agent ? perServiceOn : perServiceOff).add(perService);
                    (agent ? threadsOn : threadsOff).add(intField(stats.text, "threads"));
                    (agent ? connections : connectionsPlain).add(established);
                }
            }
            progress("   run " + (i + 1) + "/" + runs + ": etcd connections " + fmt(connections, i, Samples.Unit.COUNT)
                    + ", heap per channel without " + fmt(perServiceOff, i, Samples.Unit.KB) + ", with "
                    + fmt(perServiceOn, i, Samples.Unit.KB));
        }
        boolean met = connections.max() <= 1;
        Row connRow = new Row("scale: " + services + " services watched by one JVM (+1 warm-up service), TCP"
                + " connections to etcd", connectionsPlain.summary(Samples.Unit.COUNT),
                connections.summary(Samples.Unit.COUNT), "—", "1 connection", met);
        rows.add(connRow);
        rows.add(new Row("scale: heap per channel, " + services + " channels (no agent + 127.0.0.1:port vs agent +"
                + " one etcd:/// service each)", perServiceOff.summary(Samples.Unit.KB),
                perServiceOn.summary(Samples.Unit.KB), "+" + Samples.Unit.KB.format(perServiceOn.median()
                        - perServiceOff.median()) + " per watched service", "—", null));
        diagnostics.add("100 services: live threads of the client JVM with " + services + " + 1 channels: "
                + threadsOff.summary(Samples.Unit.COUNT) + " without the agent, "
                + threadsOn.summary(Samples.Unit.COUNT) + " with it.");
        if (!met) {
            connRow.reason = "every watch of the JVM is a stream on jetcd's one channel, which holds one HTTP/2"
                    + " connection per etcd member; more than one means the agent reconnected during the run (after"
                    + " a call that got no answer in time) while the old connection was still closing.";
        }
    }

    /** Established TCP connections from process {@code pid} to the etcd port, as {@code ss -tnp} lists them. */
    private int etcdConnections(long pid) {
        List<String> lines = run(List.of("ss", "-tnpH", "state", "established", "dport", "=", ":" + etcdPort));
        int count = 0;
        for (String line : lines) {
            if (line.contains("pid=" + pid + ",")) {
                count++;
            }
        }
        return count;
    }
}
