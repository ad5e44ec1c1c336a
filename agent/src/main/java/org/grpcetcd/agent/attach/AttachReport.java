package org.grpcetcd.agent.attach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code java -jar grpc-etcd-agent.jar attach <pid>} learns from the JVM it loaded the agent into, through
 * two system properties of that JVM, which the attach API reads ({@code VirtualMachine.getSystemProperties()})
 * over the very connection that loads the agent. Chosen over the agent's status MXBean, which the CLI could only
 * reach by starting the app's JMX management agent (a connector left open in the app, a module a trimmed runtime
 * may lack), and over a file, which the app (maybe another user, another mount namespace) and the CLI would both
 * have to reach.
 *
 * <p>{@link #LOADED} marks a JVM the agent is in, however it came (premain or an attach), so a second attach finds
 * it there and changes nothing. {@link #REPORT} is set once, when an attached agent has caught up with the gRPC
 * already running: its first line is {@code ok} or {@code failed}, the rest is for the person at the terminal.
 */
public final class AttachReport {
    public static final String LOADED = "grpc-etcd-agent.loaded";
    public static final String REPORT = "grpc-etcd-agent.attach-report";
    private static final String OK = "ok";
    private static final String FAILED = "failed";

    private final List<String> lines = new ArrayList<>();
    private boolean ok = true;

    /**
     * Marks this JVM as holding the agent, loaded {@code how}; {@code false} when it already did. Atomic: the
     * system properties are a concurrent map.
     */
    public static boolean claim(String how) {
        return System.getProperties().putIfAbsent(LOADED, how) == null;
    }

    /** How the agent came into the JVM with these system properties, if it is there. */
    public static Optional<String> loaded(Properties jvmProperties) {
        return Optional.ofNullable(jvmProperties.getProperty(LOADED));
    }

    /** The report in the JVM with these system properties, if the attached agent has written it. */
    public static Optional<AttachReport> of(Properties jvmProperties) {
        String text = jvmProperties.getProperty(REPORT);
        if (text == null) {
            return Optional.empty();
        }
        List<String> all = Arrays.asList(text.split("\n", -1));
        AttachReport report = new AttachReport();
        report.ok = all.get(0).equals(OK);
        report.lines.addAll(all.subList(1, all.size()));
        return Optional.of(report);
    }

    public AttachReport line(String line) {
        lines.add(line.replace('\n', ' '));
        return this;
    }

    /** The agent could not start, or not catch up with the running gRPC: the report says why, the command exits 1. */
    public AttachReport failed(String why) {
        ok = false;
        return line(why);
    }

    public boolean ok() {
        return ok;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Makes the report visible to the attach command; done once, when it is complete. */
    public void publish() {
        System.setProperty(REPORT, (ok ? OK : FAILED) + (lines.isEmpty() ? "" : "\n" + String.join("\n", lines)));
    }
}
