package org.grpcetcd.it.support.compat;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The agent's own log lines in an app's stderr ({@code [grpc-etcd-agent] <time> LEVEL ...}). */
public final class AgentLines {
    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\[grpc-etcd-agent\\] \\S+ (WARN|ERROR) ");

    private AgentLines() {
    }

    /** The agent's WARN and ERROR lines. */
    public static List<String> warningsAndErrors(List<String> stderr) {
        return stderr.stream().filter(line -> WARN_OR_ERROR.matcher(line).find()).collect(Collectors.toList());
    }

    /** Lines that are not the agent's and look like trouble: exceptions, stack frames, WARN/ERROR of anyone. */
    public static List<String> troubleOutsideTheAgent(List<String> stderr) {
        return stderr.stream().filter(line -> !line.startsWith("[grpc-etcd-agent]"))
                .filter(line -> line.contains("Exception") || line.contains("Error") || line.startsWith("\tat ")
                        || line.contains("SEVERE") || line.contains(" WARN"))
                .collect(Collectors.toList());
    }
}
