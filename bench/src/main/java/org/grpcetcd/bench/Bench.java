package org.grpcetcd.bench;

import static org.grpcetcd.bench.Figures.firstPort;
import static org.grpcetcd.bench.Figures.progress;
import static org.grpcetcd.bench.Figures.uptime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's orchestrator: launches the bench apps in their own JVMs, without and with
 * {@code -javaagent:grpc-etcd-agent.jar}, interleaved run by run, against the etcd given, and prints one markdown
 * table. Every figure of a row comes from the same invocation. Each section is a class of its own
 * ({@link StartupSection}, {@link RegisteredSection}, ...); this one runs them and writes the report.
 *
 * <p>Arguments: {@code --agent JAR --etcd http://127.0.0.1:PORT --classpath CP --logs DIR [--quick] [--out FILE]
 * [--etcd-version TEXT] [--commit TEXT]}.
 */
public final class Bench {
    private final BenchContext context;
    private final String only;
    private final Path springJar; // bench-spring's echo-spring.jar

    private Bench(Map<String, String> options) {
        this.context = new BenchContext(options);
        this.only = options.get("only");
        this.springJar = options.containsKey("spring-jar") ? Paths.get(options.get("spring-jar")) : null;
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
        Files.createDirectories(bench.context.logs);
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


    private void runAll() {
        section("start-up", () -> new StartupSection(context).measure());
        section("spring start-up", () -> new SpringStartupSection(context, springJar).measure());
        section("registered", () -> new RegisteredSection(context).measure());
        if (wanted("first call") || wanted("per-call cost")) {
            Child echo = null;
            try {
                echo = echoServer(); // one server with the agent for both sections: same server, same key
                Child server = echo;
                section("first call", () -> new FirstCallSection(context, server).measure());
                section("per-call cost", () -> new PerCallSection(context, server).measure());
            } catch (RuntimeException e) {
                context.rows.add(Row.error("first call / per-call cost", e));
            } finally {
                if (echo != null) {
                    echo.close();
                }
            }
        }
        section("propagation", () -> new PropagationSection(context).measure());
        section("scale", () -> new ScaleSection(context).measure());
        section("footprint", () -> new FootprintSection(context).measure());
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
            context.rows.add(Row.error(name, e));
        }
    }

    private Child echoServer() {
        String service = "bench-echo";
        Gateway.Watch watch = context.etcd.watch(service + "/");
        try {
            Child server = context.launch("echo-server", context.command(true, service, List.of(), "BenchServer", "1"));
            Child.Line ready = server.await("READY", 30_000);
            watch.await(service + "/127.0.0.1:" + firstPort(ready.text), false, 0, 15_000);
            return server;
        } finally {
            watch.cancel();
        }
    }


    private String report(Map<String, String> options, String loadBefore, String loadAfter, long seconds) {
        StringBuilder out = new StringBuilder();
        out.append("### grpc-etcd-agent benchmark").append(context.quick ? " (--quick)" : "").append("\n\n");
        out.append("- when: ").append(Instant.now().toString(), 0, 19).append("Z, took ").append(seconds)
                .append(" s; agent ").append(context.agentJar.getFileName()).append(" (sha256 ").append(sha256(context.agentJar))
                .append("…) built from ").append(options.getOrDefault("commit", "?")).append("\n");
        out.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(memTotal()).append(", Java ").append(System.getProperty("java.runtime.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append("), etcd ")
                .append(options.getOrDefault("etcd-version", "?")).append(" (one member on 127.0.0.1; the agent reaches it with jetcd, the bench through its JSON gateway)\n");
        out.append("- load: before `").append(loadBefore).append("`; after `").append(loadAfter).append("`\n");
        out.append("- each figure: median [min–max] of ").append(context.runs).append(" runs per variant (start-up and first"
                + " call: ").append(context.cheapRuns).append(context.quick ? "" : ", Spring Boot start-up: 11, per-call cost: 5 client JVMs")
                .append("), variants interleaved run by run; start-up and first call"
                + " discard one warm-up run per variant first; child JVMs with default flags; apps bind"
                + " 127.0.0.1\n\n");
        out.append("| measure | without agent | with agent | with vs without | target | met |\n");
        out.append("|---|---|---|---|---|---|\n");
        int noteNumber = 0;
        List<String> missed = new ArrayList<>();
        for (Row row : context.rows) {
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
        if (!context.diagnostics.isEmpty()) {
            out.append("\n**Diagnostics from the same run**\n\n");
            for (String line : context.diagnostics) {
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
}
