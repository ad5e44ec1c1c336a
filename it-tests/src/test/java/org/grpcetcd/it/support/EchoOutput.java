package org.grpcetcd.it.support;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads what the echo apps print: READY lines, REPLY and ERROR lines. */
public final class EchoOutput {
    public static final Pattern READY = Pattern.compile("^READY (\\S+) port=(\\d+)$");
    public static final Pattern REPLY = Pattern.compile("^REPLY (\\S+)$");
    public static final Pattern ERROR = Pattern.compile("^ERROR ");

    private EchoOutput() {
    }

    /** Waits (up to a JVM start) for the server's READY line and returns its port. */
    public static int awaitReady(AppProcess server) {
        Matcher ready = READY.matcher(server.awaitLine(READY, ItEnvironment.JVM_START));
        ready.matches();
        return Integer.parseInt(ready.group(2));
    }

    /** The server names of the client's REPLY lines so far, in order. */
    public static List<String> replies(AppProcess client) {
        return replies(client.lines());
    }

    public static List<String> replies(List<String> lines) {
        return lines.stream().map(REPLY::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .collect(Collectors.toList());
    }

    /** The client's ERROR lines so far. */
    public static List<String> errors(AppProcess client) {
        return client.lines().stream().filter(line -> ERROR.matcher(line).find()).collect(Collectors.toList());
    }

    /** Waits until the client has printed at least {@code count} REPLY lines. */
    public static List<String> awaitReplies(AppProcess client, int count, Duration timeout) {
        Poll.until(() -> replies(client).size() >= count, timeout, Duration.ofMillis(50),
                () -> client.name() + " printing " + count + " REPLY lines (so far " + client.lines().size()
                        + " lines, the last: " + last(client) + ")");
        return replies(client);
    }

    private static String last(AppProcess client) {
        List<String> lines = client.lines();
        return lines.isEmpty() ? "none" : lines.get(lines.size() - 1);
    }
}
