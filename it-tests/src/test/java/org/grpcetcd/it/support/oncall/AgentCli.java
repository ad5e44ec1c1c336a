package org.grpcetcd.it.support.oncall;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.ItEnvironment;

/**
 * Runs the agent jar as the on-call CLI ({@code java -jar grpc-etcd-agent.jar <command> ...}) in its own JVM,
 * without {@code -javaagent} and without any {@code grpc.etcd.*} system property unless given, so what it reads
 * comes from its options and the environment given here (no {@code GRPC_ETCD_*} variable of the test JVM is
 * passed on).
 */
public final class AgentCli {
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    private final Apps apps;
    private int runs;

    public AgentCli(Apps apps) {
        this.apps = apps;
    }

    /** A CLI JVM ready to start, named {@code cli-<n>-<first argument>} in the logs. */
    public AppSpec spec(Map<String, String> env, List<String> args) {
        String name = "cli-" + (++runs) + "-" + (args.isEmpty() ? "none" : args.get(0).replaceAll("[^A-Za-z0-9-]", ""));
        AppSpec spec = apps.app(name, "unused.MainClass")
                .endpoints(null)
                .withoutAgent()
                .executableJar(ItEnvironment.agentJar().toString())
                .args(args.toArray(new String[0]));
        env.forEach(spec::env);
        return spec;
    }

    /** Runs the CLI to its end; asserts that neither stream holds a stack trace. */
    public Result run(String... args) {
        return run(Map.of(), args);
    }

    public Result run(Map<String, String> env, String... args) {
        return run(spec(env, List.of(args)), args);
    }

    /** Runs a CLI JVM made by {@link #spec} (with a system property added, say) to its end, as {@link #run}. */
    public Result run(AppSpec spec, String... args) {
        List<String> arguments = List.of(args);
        long begin = System.nanoTime();
        try (AppProcess process = spec.start()) {
            int exit = process.awaitExit(EXIT_WITHIN);
            Result result = new Result(arguments, exit, process.lines(), process.errLines(),
                    Duration.ofNanos(System.nanoTime() - begin));
            assertNoStackTrace(result.describe(), result.out);
            assertNoStackTrace(result.describe(), result.err);
            return result;
        }
    }

    /** No line that starts with a tab and "at " (a Java stack frame), nor "Caused by:". */
    public static void assertNoStackTrace(String what, List<String> lines) {
        List<String> frames = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("\tat ") || line.startsWith("Caused by: ") || line.startsWith("Exception in thread")) {
                frames.add(line);
            }
        }
        assertThat(frames).as("stack trace lines in the output of %s", what).isEmpty();
    }

    /** The agent jar's Implementation-Version, which {@code version} must print. */
    public static String jarVersion() {
        Path jar = ItEnvironment.agentJar();
        try (JarFile file = new JarFile(jar.toFile())) {
            String version = file.getManifest().getMainAttributes().getValue("Implementation-Version");
            assertThat(version).as("Implementation-Version in the manifest of %s", jar).isNotBlank();
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Environment for a CLI run: name, value pairs. */
    public static Map<String, String> env(String... namesAndValues) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    /** What one CLI run printed and how it exited. */
    public static final class Result {
        public final List<String> args;
        public final int exit;
        public final List<String> out;
        public final List<String> err;
        public final Duration took;

        Result(List<String> args, int exit, List<String> out, List<String> err, Duration took) {
            this.args = args;
            this.exit = exit;
            this.out = List.copyOf(out);
            this.err = List.copyOf(err);
            this.took = took;
        }

        /** For assertion messages: the command, its exit code and everything it printed. */
        public String describe() {
            return "grpc-etcd-agent.jar " + String.join(" ", args) + " (exit " + exit + ", " + took.toMillis()
                    + " ms)\n  stdout:\n    " + String.join("\n    ", out) + "\n  stderr:\n    "
                    + String.join("\n    ", err);
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
