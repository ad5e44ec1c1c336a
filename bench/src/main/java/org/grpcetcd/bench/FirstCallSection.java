package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** First call: JVM launch → first answered call, to a fixed address and over etcd:///, with and without the agent. */
final class FirstCallSection extends Section {
    private final Child server;

    FirstCallSection(BenchContext context, Child server) {
        super(context);
        this.server = server;
    }

    @Override
    void measure() {
        int port = firstPort(server.await("READY", 1_000).text);
        ClientVariant plain = new ClientVariant("plain", false, "127.0.0.1:" + port, List.of());
        ClientVariant viaEtcd = new ClientVariant("etcd", true, "etcd:///bench-echo", List.of());
        ClientVariant agentFixed = new ClientVariant("agent-fixed", true, "127.0.0.1:" + port, List.of());
        ClientVariant emptyFixed = new ClientVariant("empty-fixed", false, "127.0.0.1:" + port,
                List.of("-javaagent:" + emptyAgentJar));
        List<ClientVariant> variants = List.of(plain, viaEtcd, agentFixed, emptyFixed);
        Map<ClientVariant, Samples[]> samples = new LinkedHashMap<>();
        for (ClientVariant v : variants) {
            firstCallOnce(v, "warmup");
            samples.put(v, new Samples[] {new Samples(), new Samples(), new Samples(), new Samples()});
        }
        for (int i = 0; i < cheapRuns; i++) {
            for (int k = 0; k < variants.size(); k++) {
                ClientVariant v = variants.get((k + i) % variants.size());
                double[] t = firstCallOnce(v, "run" + i);
                samples.get(v)[0].add(t[0]);
                samples.get(v)[1].add(t[1]);
                samples.get(v)[2].add(t[2]);
                samples.get(v)[3].add(t[5]);
            }
            progress("   run " + (i + 1) + "/" + cheapRuns + ": fixed " + fmt(samples.get(plain)[0], i)
                    + ", etcd:/// " + fmt(samples.get(viaEtcd)[0], i) + ", agent + fixed "
                    + fmt(samples.get(agentFixed)[0], i) + ", do-nothing agent + fixed "
                    + fmt(samples.get(emptyFixed)[0], i));
        }
        Samples plainCall = samples.get(plain)[0];
        Samples etcdCall = samples.get(viaEtcd)[0];
        Samples agentFixedCall = samples.get(agentFixed)[0];
        double delta = etcdCall.median() - plainCall.median();
        boolean met = delta <= 300;
        Row row = new Row("first call: JVM launch → first successful call (no agent + 127.0.0.1:port vs agent + "
                + "etcd:///)", plainCall.summary(Samples.Unit.MS), etcdCall.summary(Samples.Unit.MS),
                signedMs(delta), "≤ +300 ms", met);
        rows.add(row);
        double agentOnly = agentFixedCall.median() - plainCall.median();
        boolean fixedMet = agentOnly <= 80;
        Row fixedRow = new Row("first call, agent loaded but fixed address 127.0.0.1:port (splits the cost above)",
                plainCall.summary(Samples.Unit.MS), agentFixedCall.summary(Samples.Unit.MS), signedMs(agentOnly),
                "≤ +80 ms", fixedMet);
        rows.add(fixedRow);
        Samples emptyFixedCall = samples.get(emptyFixed)[0];
        double anyAgent = emptyFixedCall.median() - plainCall.median();
        rows.add(new Row("first call, a -javaagent that does nothing, fixed address (the JVM's own cost of any agent)",
                plainCall.summary(Samples.Unit.MS), emptyFixedCall.summary(Samples.Unit.MS), signedMs(anyAgent), "—",
                null));
        if (!fixedMet) {
            fixedRow.reason = "the agent adds " + signedMs(agentOnly) + " to a first call that never dials etcd; a"
                    + " -javaagent that does nothing adds " + signedMs(anyAgent) + " (the JVM's own cost of any agent),"
                    + " grpc-etcd-agent's own work the other " + signedMs(agentOnly - anyAgent) + ": its premain, and"
                    + " its start-up on its own thread, which the channel's default registry waits for (bounded)"
                    + " before it takes the etcd resolver; see the timelines below.";
        }
        StringBuilder timelines = new StringBuilder();
        for (ClientVariant v : variants) {
            Samples[] s = samples.get(v);
            timelines.append(timelines.length() == 0 ? "" : "; ")
                    .append(v == plain ? "no agent + fixed address" : v == viaEtcd ? "agent + etcd:///"
                            : v == agentFixed ? "agent + fixed address" : "do-nothing agent + fixed address")
                    .append(": launch → main() ").append(Samples.Unit.MS.format(s[1].median()))
                    .append(", main() → channel built ").append(Samples.Unit.MS.format(s[2].median() - s[1].median()))
                    .append(", built → first call answered ")
                    .append(Samples.Unit.MS.format(s[0].median() - s[2].median()))
                    .append(" (CPU time used by then, all threads: ").append(s[3].summary(Samples.Unit.MS)).append(")");
        }
        diagnostics.add("First call, where the time goes (medians of the same runs, app's own timestamps): "
                + timelines + ".");

        // what the agent does between the channel's build and its first list: its debug log, as is and with the
        // app loading JMX itself first
        Samples builtToList = new Samples();
        Samples builtToListPrewarmed = new Samples();
        Samples listToCall = new Samples();
        ClientVariant debug = new ClientVariant("etcd-debug", true, "etcd:///bench-echo", List.of("-Dgrpc.etcd.log-level=debug"));
        for (int i = 0; i < (quick ? 1 : 4); i++) {
            double[] t = firstCallOnce(debug, "timeline" + i);
            builtToList.add(t[3] - t[2]);
            listToCall.add(t[4] - t[3]);
            double[] p = firstCallOnce(debug, "timeline-prewarmed" + i, "--prewarm-jmx");
            builtToListPrewarmed.add(p[3] - p[2]);
        }
        diagnostics.add("First call over etcd:///, agent debug log (median of " + builtToList.size() + "): channel"
                + " built → the agent has the endpoint list " + Samples.Unit.MS.format(builtToList.median())
                + " as is, " + Samples.Unit.MS.format(builtToListPrewarmed.median()) + " when the app has loaded JMX"
                + " before (so about "
                + Samples.Unit.MS.format(builtToList.median() - builtToListPrewarmed.median()) + " of it is the agent"
                + " loading JMX before its first etcd get; the rest is loading jetcd and its libraries, the first"
                + " connection, the get itself and the agent's own classes); list → first call answered "
                + Samples.Unit.MS.format(listToCall.median()) + " (gRPC connects only once it has an address).");
        if (!met) {
            row.reason = signedMs(delta) + " over the fixed address: " + signedMs(agentOnly)
                    + " from loading the agent (same fixed address with -javaagent), " + signedMs(delta - agentOnly)
                    + " from resolving through etcd; channel built → endpoint list "
                    + Samples.Unit.MS.format(builtToList.median()) + " of which about "
                    + Samples.Unit.MS.format(builtToList.median() - builtToListPrewarmed.median())
                    + " is loading JMX (see diagnostics).";
        }
    }

    /**
     * Launch → first call OK, then (wall clock from the launch): → main, → built, → the agent's list (debug log
     * only), → call OK.
     */
    private double[] firstCallOnce(ClientVariant v, String tag, String... flags) {
        List<String> args = new ArrayList<>(List.of("first-call", v.target));
        args.addAll(Arrays.asList(flags));
        try (Child c = launch("first-call-" + v.name + "-" + tag, command(v.agent, null, v.props, "BenchClient",
                args.toArray(new String[0])))) {
            Child.Line done = c.await(s -> s.startsWith("FIRST-CALL-"), 0, 40_000);
            if (!done.text.startsWith("FIRST-CALL-OK")) {
                throw new BenchException(c.label + ": " + done.text);
            }
            double[] t = new double[6];
            t[0] = (done.nanos - c.launchNanos) / 1e6;
            t[1] = ms(c.launchAt, atOf(c.await("MAIN", 1_000).text));
            t[2] = ms(c.launchAt, atOf(c.await("BUILT", 1_000).text));
            t[3] = Double.NaN;
            if (v.props.contains("-Dgrpc.etcd.log-level=debug")) {
                t[3] = ms(c.launchAt, agentTime(c.await(s -> s.contains("DEBUG endpoints under bench-echo/"), 0,
                        5_000).text));
            }
            t[4] = ms(c.launchAt, atOf(done.text));
            t[5] = intField(c.await("CPU", 10_000).text, "ms");
            c.awaitExit(10_000);
            return t;
        }
    }
}
