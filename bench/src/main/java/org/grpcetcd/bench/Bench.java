package org.grpcetcd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's orchestrator: launches the bench apps in their own JVMs, without and with
 * {@code -javaagent:grpc-etcd-agent.jar}, interleaved run by run, against the etcd given, and prints one markdown
 * table. Every figure of a row comes from the same invocation.
 *
 * <p>Arguments: {@code --agent JAR --etcd http://127.0.0.1:PORT --classpath CP --logs DIR [--quick] [--out FILE]
 * [--etcd-version TEXT] [--commit TEXT]}.
 */
public final class Bench {
    private static final String APP_PACKAGE = "org.grpcetcd.bench.";
    private static final Pattern AT = Pattern.compile("\\bat=(\\S+)");
    private static final double MB = 1024.0 * 1024.0;

    private final Path agentJar;
    private final Path emptyAgentJar;
    private final String etcdUrl;
    private final int etcdPort;
    private final String classpath;
    private final Path logs;
    private final boolean quick;
    private final int runs;
    private final int cheapRuns; // for the rows whose runs take a second: more of them, steadier medians
    private final String javaBin;
    private final String only;
    private final Gateway etcd;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> diagnostics = new ArrayList<>();
    private int launched;

    private Bench(Map<String, String> options) {
        this.agentJar = Paths.get(required(options, "agent")).toAbsolutePath();
        this.emptyAgentJar = Paths.get(required(options, "empty-agent")).toAbsolutePath();
        this.etcdUrl = required(options, "etcd");
        this.etcdPort = Integer.parseInt(etcdUrl.substring(etcdUrl.lastIndexOf(':') + 1));
        this.classpath = required(options, "classpath");
        this.logs = Paths.get(required(options, "logs"));
        this.quick = options.containsKey("quick");
        this.runs = quick ? 3 : 5;
        this.cheapRuns = quick ? 3 : 21;
        this.javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        this.etcd = new Gateway(etcdUrl);
        this.only = options.get("only");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].substring(2);
            if (name.equals("quick")) {
                options.put(name, "true");
            } else {
                options.put(name, args[++i]);
            }
        }
        long begin = System.nanoTime();
        String loadBefore = uptime();
        Bench bench = new Bench(options);
        Files.createDirectories(bench.logs);
        // whatever ends the bench, the app JVMs it started end with it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children()
                .forEach(ProcessHandle::destroy), "bench-children"));
        bench.runAll();
        String loadAfter = uptime();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
        String report = bench.report(options, loadBefore, loadAfter, seconds);
        System.out.println(report);
        if (options.containsKey("out")) {
            Files.writeString(Paths.get(options.get("out")), report, StandardCharsets.UTF_8);
        }
        System.exit(0);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private void runAll() {
        section("start-up", this::startup);
        section("registered", this::registered);
        if (wanted("first call") || wanted("per-call cost")) {
            Child echo = null;
            try {
                echo = echoServer(); // one server with the agent for both sections: same server, same key
                Child server = echo;
                section("first call", () -> firstCall(server));
                section("per-call cost", () -> perCall(server));
            } catch (RuntimeException e) {
                rows.add(Row.error("first call / per-call cost", e));
            } finally {
                if (echo != null) {
                    echo.close();
                }
            }
        }
        section("propagation", this::propagation);
        section("scale", this::scale);
        section("footprint", this::footprint);
    }

    /** Whether {@code --only} (a comma-separated list of section names, for working on the bench) leaves it in. */
    private boolean wanted(String name) {
        return only == null || Arrays.asList(only.split(",")).contains(name);
    }

    private void section(String name, Runnable body) {
        if (!wanted(name)) {
            return;
        }
        progress("== " + name);
        try {
            body.run();
        } catch (RuntimeException e) {
            progress("   failed: " + e);
            rows.add(Row.error(name, e));
        }
    }

    private static void progress(String text) {
        System.err.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + text);
    }

    // ---------------------------------------------------------------- start-up

    private void startup() {
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
        boolean met = ratio <= 1.05;
        Row row = new Row("start-up: JVM launch → server listening (READY line)", off.summary(Samples.Unit.MS),
                on.summary(Samples.Unit.MS), ratio(ratio) + " (" + signedMs(on.median() - off.median()) + ")",
                "ratio ≤ 1.05", met);
        rows.add(row);
        rows.add(new Row("start-up with a -javaagent that does nothing (the JVM's own cost of any agent)",
                off.summary(Samples.Unit.MS), empty.summary(Samples.Unit.MS),
                ratio(empty.median() / off.median()) + " (" + signedMs(empty.median() - off.median()) + ")", "—",
                null));
        String cds = cdsModuleGraph();
        String split = "launch → main(): " + Samples.Unit.MS.format(samples.get("plain")[1].median()) + " without, "
                + Samples.Unit.MS.format(samples.get("empty")[1].median()) + " with an empty agent, "
                + Samples.Unit.MS.format(samples.get("agent")[1].median()) + " with grpc-etcd-agent (its premain"
                + " installs the class transformer and starts one waiting thread; the agent reads its settings once"
                + " the server has started: its \"active\" line comes "
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

    // ---------------------------------------------------------------- registered

    private void registered() {
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

    /** Cold registration again, with the app loading JMX and/or the JDK HttpClient before its server starts. */
    private void coldDiagnostics(Gateway.Watch watch, String service, Samples mainRuns) {
        String[] variants = {"", "--prewarm-jmx", "--prewarm-http", "--prewarm-jmx --prewarm-http"};
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
        double noHttp = byVariant.get("--prewarm-http").median();
        double neither = byVariant.get("--prewarm-jmx --prewarm-http").median();
        text.append(String.format(Locale.ROOT, " so about %.0f ms go to loading JMX (the agent publishes its MBean on"
                + " its own thread), about %.0f ms to loading and building the JDK HttpClient (its own classes"
                + " and a TLS context, which it wants even for http:// endpoints), and %.0f ms remain (lease grant + put over a"
                + " new HTTP/1.1 connection, JSON, the agent's own classes).", plain - noJmx, plain - noHttp,
                neither));
        diagnostics.add(text.toString());
    }

    // ---------------------------------------------------------------- first call and per-call cost

    private Child echoServer() {
        String service = "bench-echo";
        Gateway.Watch watch = etcd.watch(service + "/");
        try {
            Child server = launch("echo-server", command(true, service, List.of(), "BenchServer", "1"));
            Child.Line ready = server.await("READY", 30_000);
            watch.await(service + "/127.0.0.1:" + firstPort(ready.text), false, 0, 15_000);
            return server;
        } finally {
            watch.cancel();
        }
    }

    private static final class Variant {
        final String name;
        final boolean agent;
        final String target;
        final List<String> props;

        Variant(String name, boolean agent, String target, List<String> props) {
            this.name = name;
            this.agent = agent;
            this.target = target;
            this.props = props;
        }
    }

    private void firstCall(Child server) {
        int port = firstPort(server.await("READY", 1_000).text);
        Variant plain = new Variant("plain", false, "127.0.0.1:" + port, List.of());
        Variant viaEtcd = new Variant("etcd", true, "etcd:///bench-echo", List.of());
        Variant agentFixed = new Variant("agent-fixed", true, "127.0.0.1:" + port, List.of());
        List<Variant> variants = List.of(plain, viaEtcd, agentFixed);
        Map<Variant, Samples[]> samples = new LinkedHashMap<>();
        for (Variant v : variants) {
            firstCallOnce(v, "warmup");
            samples.put(v, new Samples[] {new Samples(), new Samples(), new Samples(), new Samples()});
        }
        for (int i = 0; i < cheapRuns; i++) {
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get((k + i) % variants.size());
                double[] t = firstCallOnce(v, "run" + i);
                samples.get(v)[0].add(t[0]);
                samples.get(v)[1].add(t[1]);
                samples.get(v)[2].add(t[2]);
                samples.get(v)[3].add(t[5]);
            }
            progress("   run " + (i + 1) + "/" + cheapRuns + ": fixed " + fmt(samples.get(plain)[0], i)
                    + ", etcd:/// " + fmt(samples.get(viaEtcd)[0], i) + ", agent + fixed "
                    + fmt(samples.get(agentFixed)[0], i));
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
        rows.add(new Row("first call, agent loaded but fixed address 127.0.0.1:port (splits the cost above)",
                plainCall.summary(Samples.Unit.MS), agentFixedCall.summary(Samples.Unit.MS), signedMs(agentOnly),
                "—", null));
        StringBuilder timelines = new StringBuilder();
        for (Variant v : variants) {
            Samples[] s = samples.get(v);
            timelines.append(timelines.length() == 0 ? "" : "; ")
                    .append(v == plain ? "no agent + fixed address" : v == viaEtcd ? "agent + etcd:///"
                            : "agent + fixed address")
                    .append(": launch → main() ").append(Samples.Unit.MS.format(s[1].median()))
                    .append(", main() → channel built ").append(Samples.Unit.MS.format(s[2].median() - s[1].median()))
                    .append(", built → first call answered ")
                    .append(Samples.Unit.MS.format(s[0].median() - s[2].median()))
                    .append(" (CPU time used by then, all threads: ").append(s[3].summary(Samples.Unit.MS)).append(")");
        }
        diagnostics.add("First call, where the time goes (medians of the same runs, app's own timestamps): "
                + timelines + ".");

        // what the agent does between the channel's build and its first list: its debug log, as is and with the
        // app loading JMX and the JDK HttpClient itself first
        Samples builtToList = new Samples();
        Samples builtToListPrewarmed = new Samples();
        Samples listToCall = new Samples();
        Variant debug = new Variant("etcd-debug", true, "etcd:///bench-echo", List.of("-Dgrpc.etcd.log-level=debug"));
        for (int i = 0; i < (quick ? 1 : 4); i++) {
            double[] t = firstCallOnce(debug, "timeline" + i);
            builtToList.add(t[3] - t[2]);
            listToCall.add(t[4] - t[3]);
            double[] p = firstCallOnce(debug, "timeline-prewarmed" + i, "--prewarm-jmx", "--prewarm-http");
            builtToListPrewarmed.add(p[3] - p[2]);
        }
        diagnostics.add("First call over etcd:///, agent debug log (median of " + builtToList.size() + "): channel"
                + " built → the agent has the endpoint list " + Samples.Unit.MS.format(builtToList.median())
                + " as is, " + Samples.Unit.MS.format(builtToListPrewarmed.median()) + " when the app has loaded JMX"
                + " and the JDK HttpClient before (so about "
                + Samples.Unit.MS.format(builtToList.median() - builtToListPrewarmed.median()) + " of it is the agent"
                + " loading those before its first etcd get; the rest is the get itself over a new connection and"
                + " the agent's own classes); list → first call answered "
                + Samples.Unit.MS.format(listToCall.median()) + " (gRPC connects only once it has an address).");
        if (!met) {
            row.reason = signedMs(delta) + " over the fixed address: " + signedMs(agentOnly)
                    + " from loading the agent (same fixed address with -javaagent), " + signedMs(delta - agentOnly)
                    + " from resolving through etcd; channel built → endpoint list "
                    + Samples.Unit.MS.format(builtToList.median()) + " of which about "
                    + Samples.Unit.MS.format(builtToList.median() - builtToListPrewarmed.median())
                    + " is loading JMX + the JDK HttpClient (see diagnostics).";
        }
    }

    /**
     * Launch → first call OK, then (wall clock from the launch): → main, → built, → the agent's list (debug log
     * only), → call OK.
     */
    private double[] firstCallOnce(Variant v, String tag, String... flags) {
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
    private void perCall(Child server) {
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
        Variant plain = new Variant("plain", false, fixed, List.of());
        Variant etcdVariant = new Variant("etcd", true, viaEtcd, List.of());
        List<Variant> variants = List.of(plain, etcdVariant);
        Map<Variant, Samples> samples = new LinkedHashMap<>();
        for (Variant v : variants) {
            samples.put(v, new Samples());
        }
        for (int i = 0; i < rateRuns; i++) {
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get((k + i) % variants.size());
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
    private double[] rateOnce(Variant v, String tag, int threads, long warmupMs, long measureMs) {
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

    // ---------------------------------------------------------------- propagation

    private void propagation() {
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

    // ---------------------------------------------------------------- scale

    private void scale() {
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
                    + " for starting the agent's etcd client (threads, JDK HttpClient, first connection).";
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
            connRow.reason = "every watch of the JVM rides one streaming request, which holds one connection; the"
                    + " other is the keep-alive connection of the agent's gets and lease calls: over HTTP/1.1 (etcd's"
                    + " JSON gateway) a response that never ends cannot share its connection with other requests,"
                    + " where etcd's gRPC API over HTTP/2 would carry both on one.";
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

    // ---------------------------------------------------------------- footprint

    private void footprint() {
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
                    + ": the agent's classes, the JDK HttpClient and JMX; not heap).");
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

    // ---------------------------------------------------------------- helpers

    private Child launch(String label, List<String> command) {
        launched++;
        return Child.start(String.format(Locale.ROOT, "%03d-%s", launched, label), command, logs);
    }

    private List<String> command(boolean agent, String service, List<String> props, String app, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        if (agent) {
            command.add("-javaagent:" + agentJar);
            command.add("-Dgrpc.etcd.endpoints=" + etcdUrl);
            if (service != null) {
                command.add("-Dgrpc.etcd.service=" + service);
            }
            command.add("-Dgrpc.etcd.drain-ms=0"); // stopping the bench's servers is not measured
        }
        command.addAll(props);
        command.add("-cp");
        command.add(classpath);
        command.add(APP_PACKAGE + app);
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Which variant goes first in run {@code i}: they take turns. */
    private static List<Boolean> order(int i) {
        return i % 2 == 0 ? List.of(false, true) : List.of(true, false);
    }

    private static Instant atOf(String line) {
        Matcher m = AT.matcher(line);
        if (!m.find()) {
            throw new BenchException("no at= in: " + line);
        }
        return Instant.parse(m.group(1));
    }

    /** The timestamp of an agent log line: {@code [grpc-etcd-agent] <instant> LEVEL ...}. */
    private static Instant agentTime(String line) {
        int start = line.indexOf("[grpc-etcd-agent] ");
        if (start < 0) {
            throw new BenchException("not an agent log line: " + line);
        }
        String rest = line.substring(start + 18);
        return Instant.parse(rest.substring(0, rest.indexOf(' ')));
    }

    private static String field(String line, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\S+)").matcher(line);
        if (!m.find()) {
            throw new BenchException("no " + name + "= in: " + line);
        }
        return m.group(1);
    }

    private static long intField(String line, String name) {
        return Long.parseLong(field(line, name));
    }

    private static int firstPort(String readyLine) {
        return Integer.parseInt(field(readyLine, "ports").split(",")[0]);
    }

    private static double ms(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.3f", ratio);
    }

    private static String signedMs(double ms) {
        return (ms >= 0 ? "+" : "−") + Samples.Unit.MS.format(Math.abs(ms));
    }

    private static String spread(Samples s) {
        return String.format(Locale.ROOT, "±%.1f%%", (s.max() - s.min()) / 2 / s.median() * 100);
    }

    private static String fmt(Samples s, int i) {
        return fmt(s, i, Samples.Unit.MS);
    }

    private static String fmt(Samples s, int i, Samples.Unit unit) {
        return s.isEmpty() ? "-" : unit.format(s.median());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new BenchException("cannot read " + file + ": " + e);
        }
    }

    private static List<String> run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return lines;
        } catch (IOException e) {
            throw new BenchException("could not run " + command + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static String uptime() {
        List<String> lines = run(List.of("uptime"));
        return lines.isEmpty() ? "?" : lines.get(0).trim();
    }

    // ---------------------------------------------------------------- report

    private String report(Map<String, String> options, String loadBefore, String loadAfter, long seconds) {
        StringBuilder out = new StringBuilder();
        out.append("### grpc-etcd-agent benchmark").append(quick ? " (--quick)" : "").append("\n\n");
        out.append("- when: ").append(Instant.now().toString(), 0, 19).append("Z, took ").append(seconds)
                .append(" s; agent ").append(agentJar.getFileName()).append(" (sha256 ").append(sha256(agentJar))
                .append("…) built from ").append(options.getOrDefault("commit", "?")).append("\n");
        out.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(memTotal()).append(", Java ").append(System.getProperty("java.runtime.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append("), etcd ")
                .append(options.getOrDefault("etcd-version", "?")).append(" (one member on 127.0.0.1, JSON gateway)\n");
        out.append("- load: before `").append(loadBefore).append("`; after `").append(loadAfter).append("`\n");
        out.append("- each figure: median [min–max] of ").append(runs).append(" runs per variant (start-up and first"
                + " call: ").append(cheapRuns).append(quick ? "" : ", per-call cost: 5 client JVMs")
                .append("), variants interleaved run by run; start-up and first call"
                + " discard one warm-up run per variant first; child JVMs with default flags; apps bind"
                + " 127.0.0.1\n\n");
        out.append("| measure | without agent | with agent | with vs without | target | met |\n");
        out.append("|---|---|---|---|---|---|\n");
        int noteNumber = 0;
        List<String> missed = new ArrayList<>();
        for (Row row : rows) {
            String met;
            if (row.error != null) {
                met = "**not measured**";
                missed.add("(" + (++noteNumber) + ") " + row.name + ": the measurement failed: " + row.error);
                met += " (" + noteNumber + ")";
            } else if (row.met == null) {
                met = "—";
            } else if (row.met) {
                met = "yes";
            } else {
                met = "**NO** (" + (++noteNumber) + ")";
                missed.add("(" + noteNumber + ") " + row.name + ": " + (row.reason == null ? "target missed."
                        : row.reason));
            }
            out.append("| ").append(row.name).append(" | ").append(row.without).append(" | ").append(row.with)
                    .append(" | ").append(row.comparison).append(" | ").append(row.target).append(" | ").append(met)
                    .append(" |\n");
        }
        if (!missed.isEmpty()) {
            out.append("\n**Missed targets**\n\n");
            for (String line : missed) {
                out.append("- ").append(line.replace("\n", " ")).append("\n");
            }
        }
        if (!diagnostics.isEmpty()) {
            out.append("\n**Diagnostics from the same run**\n\n");
            for (String line : diagnostics) {
                out.append("- ").append(line).append("\n");
            }
        }
        return out.toString();
    }

    private static String sha256(Path file) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                hex.append(String.format(Locale.ROOT, "%02x", digest[i]));
            }
            return hex.toString();
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GiB RAM", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "? RAM";
    }

    /** One line of the table. */
    private static final class Row {
        final String name;
        final String without;
        final String with;
        final String comparison;
        final String target;
        final Boolean met;
        String reason;
        String error;

        Row(String name, String without, String with, String comparison, String target, Boolean met) {
            this.name = name;
            this.without = without;
            this.with = with;
            this.comparison = comparison;
            this.target = target;
            this.met = met;
        }

        static Row error(String name, RuntimeException e) {
            Row row = new Row(name, "—", "—", "—", "—", null);
            row.error = String.valueOf(e.getMessage()).replace("\n", " ");
            return row;
        }
    }
}
