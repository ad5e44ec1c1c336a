package org.grpcetcd.it.support.oncall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The agent's own lines in an app's stderr: {@code [grpc-etcd-agent] <ISO instant> <LEVEL> <message>}.
 */
public final class AgentLogLines {
    public static final String PREFIX = "[grpc-etcd-agent] ";
    /** The whole shape of one agent line; the message is group 2, the level group 1. */
    public static final Pattern LINE = Pattern.compile(
            "^\\[grpc-etcd-agent\\] \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z"
                    + " (DEBUG|INFO|WARN|ERROR) (.*)$");

    private final List<String> lines;

    private AgentLogLines(List<String> lines) {
        this.lines = lines;
    }

    /** The agent lines among {@code stderr}. */
    public static AgentLogLines of(List<String> stderr) {
        return new AgentLogLines(stderr.stream().filter(line -> line.startsWith(PREFIX)).collect(Collectors.toList()));
    }

    public List<String> all() {
        return lines;
    }

    /** Agent lines of {@code level} whose message matches (find) {@code message}. */
    public List<String> matching(String level, Pattern message) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            java.util.regex.Matcher m = LINE.matcher(line);
            if (m.matches() && m.group(1).equals(level) && message.matcher(m.group(2)).find()) {
                found.add(line);
            }
        }
        return found;
    }

    /** Agent lines at {@code level}. */
    public List<String> atLevel(String level) {
        return matching(level, Pattern.compile(""));
    }

    /** Every agent line has the documented shape and no control character. */
    public void assertWellFormed(String what) {
        for (String line : lines) {
            assertThat(line).as("agent line of %s", what).matches(LINE);
            assertThat(line.chars().filter(Character::isISOControl).count())
                    .as("control characters in the agent line of %s: %s", what, escape(line)).isZero();
        }
    }

    /**
     * No Java stack frame in {@code stderr} at all (the apps under test print none of their own), and no line in
     * it that carries the agent's prefix anywhere but at its start (a line broken in two).
     */
    public static void assertNoStackTraceAndNoBrokenLine(String what, List<String> stderr) {
        AgentCli.assertNoStackTrace(what, stderr);
        for (String line : stderr) {
            assertThat(line.indexOf("[grpc-etcd-agent]")).as("position of the agent prefix in a stderr line of %s: %s",
                    what, escape(line)).isIn(-1, 0);
        }
    }

    /** Shows control characters as \\uXXXX, for failure messages. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
