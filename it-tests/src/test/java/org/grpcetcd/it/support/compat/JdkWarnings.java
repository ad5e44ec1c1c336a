package org.grpcetcd.it.support.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JDK's own {@code WARNING:} lines in an app's stderr and tells which the agent caused.
 *
 * <p>Java 24+ warns once per JVM about {@code sun.misc.Unsafe} memory access and once per module about restricted
 * (native) methods; old Netty triggers both. Each such warning is a block of {@code WARNING:} lines, one of which
 * names the caller ("{@code ... has been called by <class> ...}"). A block is the agent's when it names a class of
 * {@code org.grpcetcd} or the agent jar; a block that names no caller at all (a dynamically loaded agent, an
 * illegal reflective access, an unknown kind) is counted as unexplained.
 */
public final class JdkWarnings {
    private static final Pattern CALLER = Pattern.compile("has been called by (\\S+)");
    /** The first line of each of the JDK's warnings: "WARNING: A terminally deprecated method ...", "An illegal ...". */
    private static final Pattern HEADER = Pattern.compile("^WARNING: An? ");
    private static final String AGENT_JAR = "grpc-etcd-agent.jar";

    /**
     * The first line of a {@code java.util.logging} record in SimpleFormatter's default format ("Nov 30, 2026
     * 2:14:00 AM io.grpc.internal.X method"): the {@code WARNING:} line after it is the app's (gRPC's) log, not the
     * JDK's.
     */
    private static final Pattern JUL_HEADER =
            Pattern.compile("^\\S+ \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} (AM|PM) \\S+");

    private final List<String> warningLines = new ArrayList<>();
    private final List<List<String>> blocks = new ArrayList<>();

    private JdkWarnings(List<String> stderr) {
        List<String> block = null;
        String previous = "";
        for (String line : stderr) {
            boolean julRecord = JUL_HEADER.matcher(previous).find();
            previous = line;
            if (line.contains("WARNING:") && !julRecord) {
                warningLines.add(line);
                if (block == null || HEADER.matcher(line).find()) {
                    block = new ArrayList<>();
                    blocks.add(block);
                }
                block.add(line);
            } else {
                block = null;
            }
        }
    }

    public static JdkWarnings of(List<String> stderr) {
        return new JdkWarnings(stderr);
    }

    /** Every stderr line containing {@code WARNING:}, except the message lines of java.util.logging records. */
    public List<String> lines() {
        return warningLines;
    }

    /** The classes named as callers ({@code has been called by ...}) of all warnings. */
    public List<String> callers() {
        List<String> callers = new ArrayList<>();
        for (String line : warningLines) {
            Matcher caller = CALLER.matcher(line);
            if (caller.find()) {
                callers.add(caller.group(1));
            }
        }
        return callers;
    }

    /** Warning lines that point at the agent: its classes or its jar. */
    public List<String> blamingTheAgent() {
        List<String> blamed = new ArrayList<>();
        for (String line : warningLines) {
            if (line.contains("org.grpcetcd.agent") || line.contains(AGENT_JAR)) {
                blamed.add(line);
            }
        }
        return blamed;
    }

    /** Warning blocks that name no caller, as a list of their lines: nobody can say they are not the agent's. */
    public List<List<String>> unexplained() {
        List<List<String>> unexplained = new ArrayList<>();
        for (List<String> block : blocks) {
            boolean named = block.stream().anyMatch(line -> CALLER.matcher(line).find());
            if (!named) {
                unexplained.add(block);
            }
        }
        return unexplained;
    }
}
