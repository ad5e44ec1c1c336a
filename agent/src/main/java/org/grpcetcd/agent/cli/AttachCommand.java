package org.grpcetcd.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.AgentVersion;
import org.grpcetcd.agent.attach.AttachReport;
import org.grpcetcd.agent.config.AgentArguments;

/**
 * {@code attach <pid>}: loads the agent into a running JVM and prints what it did there (the servers it
 * registered, under which keys), read back from the agent's {@link AttachReport}. Everything it checks, it checks
 * before loading anything: a JVM it refuses is left exactly as it was.
 */
final class AttachCommand {
    /** The agent was in that JVM already (started with -javaagent, or attached before): nothing changed. */
    static final int ALREADY_THERE = 3;
    /** The agent's start there: settings, ByteBuddy's first weave, and up to 10 s for etcd to take the keys. */
    private static final long REPORT_WITHIN_MILLIS = 30_000;
    private static final long POLL_MILLIS = 100;

    private AttachCommand() {
    }

    /** {@code options}: the command line's settings, which become the agent's arguments in that JVM. */
    static int run(long pid, Map<String, String> options, PrintStream out, PrintStream err)
            throws InterruptedException {
        String arguments;
        try {
            arguments = AgentArguments.format(options);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return Cli.USAGE;
        }
        try {
            Path jar = agentJar();
            checkProcess(pid);
            if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
                throw new AttachFailure("this Java (" + System.getProperty("java.home") + ") has no"
                        + " attach API (module jdk.attach): run attach with a JDK's java");
            }
            try (AttachConnection target = AttachConnection.open(pid)) {
                Properties properties = target.systemProperties();
                Optional<String> loaded = AttachReport.loaded(properties);
                if (loaded.isPresent()) {
                    err.println("attach: the agent is already in JVM " + pid + " (" + loaded.get()
                            + "); nothing changed");
                    return ALREADY_THERE;
                }
                String java = properties.getProperty("java.specification.version", "?");
                checkJava(pid, java);
                target.loadAgent(jar, arguments);
                AttachReport report = awaitReport(pid, target);
                out.println("attached grpc-etcd-agent " + AgentVersion.current() + " to JVM " + pid + " (Java "
                        + java + ")");
                report.lines().forEach(report.ok() ? out::println : err::println);
                return report.ok() ? Cli.OK : Cli.PROBLEM;
            }
        } catch (AttachFailure e) {
            err.println("attach: " + e.getMessage());
            return Cli.PROBLEM;
        }
    }

    /** The jar this CLI runs from, which is the agent. */
    private static Path agentJar() throws AttachFailure {
        try {
            Path jar = Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // said below
        }
        throw new AttachFailure("run it from the agent's jar: java -jar grpc-etcd-agent.jar attach <pid>");
    }

    /**
     * Refuses a pid that is gone, or that another user runs: a JVM accepts attach from its own user and root only
     * (measured: root attaches to another user's JVM, another user gets "Operation not permitted").
     */
    private static void checkProcess(long pid) throws AttachFailure {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            throw new AttachFailure("no process with pid " + pid);
        }
        String me = System.getProperty("user.name");
        Optional<String> owner = process.get().info().user();
        if (owner.isPresent() && !owner.get().equals(me) && !me.equals("root")) {
            throw new AttachFailure("pid " + pid + " runs as user " + owner.get() + ", not as " + me
                    + ", and a JVM lets only its own user (or root) attach: run attach as " + owner.get()
                    + ", e.g. sudo -u " + owner.get() + " java -jar grpc-etcd-agent.jar attach " + pid);
        }
    }

    private static void checkJava(long pid, String specificationVersion) throws AttachFailure {
        int required;
        int target;
        try {
            required = JavaRelease.ofAgent();
            target = JavaRelease.feature(specificationVersion);
        } catch (IOException | RuntimeException e) {
            throw new AttachFailure("could not tell whether JVM " + pid + " (java.specification.version "
                    + specificationVersion + ") runs a Java the agent supports (" + e + "); nothing was loaded");
        }
        if (target < required) {
            throw new AttachFailure("JVM " + pid + " runs Java " + specificationVersion
                    + ", older than the agent supports (Java " + required + " or newer); nothing was loaded");
        }
    }

    private static AttachReport awaitReport(long pid, AttachConnection target)
            throws AttachFailure, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPORT_WITHIN_MILLIS);
        while (true) {
            Optional<AttachReport> report = AttachReport.of(target.systemProperties());
            if (report.isPresent()) {
                return report.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AttachFailure("the agent is loaded into JVM " + pid + " but has not reported"
                        + " within " + REPORT_WITHIN_MILLIS / 1000 + " s; that JVM's stderr says what it is doing");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
