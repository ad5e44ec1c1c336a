package org.grpcetcd.agent.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * The agent's own log: one line per event on stderr, prefixed {@code [grpc-etcd-agent]}. It never touches
 * java.util.logging or any logging library of the app: doing that from premain breaks apps that set their own
 * {@code java.util.logging.manager}.
 */
public final class AgentLog {
    public static final String PREFIX = "[grpc-etcd-agent]";

    private static final int MAX_MESSAGE = 1000;

    private static volatile LogLevel threshold = LogLevel.INFO;

    private AgentLog() {
    }

    public static void setThreshold(LogLevel level) {
        threshold = level;
    }

    public static boolean enabled(LogLevel level) {
        return level.ordinal() >= threshold.ordinal() && level != LogLevel.OFF;
    }

    public static void debug(String message) {
        log(LogLevel.DEBUG, message);
    }

    public static void info(String message) {
        log(LogLevel.INFO, message);
    }

    public static void warn(String message) {
        log(LogLevel.WARN, message);
    }

    public static void error(String message) {
        log(LogLevel.ERROR, message);
    }

    public static void log(LogLevel level, String message) {
        if (!enabled(level)) {
            return;
        }
        PrintStream err = System.err;
        err.println(PREFIX + " " + Timestamps.format(Instant.now()) + " " + level.name().toUpperCase(Locale.ROOT) + " "
                + escapeControlCharacters(capped(message)));
    }

    /** A value read from etcd can be huge; a log line quoting it stays readable. */
    static String capped(String message) {
        return message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + "...(" + message.length() + " characters)";
    }

    /** Keeps one event on one line, whatever a value read from etcd or the environment contains. */
    static String escapeControlCharacters(String message) {
        StringBuilder out = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(message.length() + 8).append(message, 0, i);
                }
                String hex = Integer.toHexString(c);
                out.append("\\u").append("0000", hex.length(), 4).append(hex);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? message : out.toString();
    }

    /** A short description of a failure for a log line: its type and message, no stack trace. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return message == null || message.isEmpty() ? type : type + ": " + message;
    }
}
