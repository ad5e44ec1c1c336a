package org.grpcetcd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every section uses to read the apps' lines, turn times into figures and format them. */
final class Figures {
    static final Pattern AT = Pattern.compile("\\bat=(\\S+)");
    static final double MB = 1024.0 * 1024.0;

    private Figures() {
    }

    static void progress(String text) {
        System.err.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + text);
    }

    static String grepFirst(List<String> lines, String what) {
        for (String line : lines) {
            int at = line.indexOf(what);
            if (at >= 0) {
                return line.substring(at);
            }
        }
        return "(no '" + what + "' line)";
    }

    /** Which variant goes first in run {@code i}: they take turns. */
    static List<Boolean> order(int i) {
        return i % 2 == 0 ? List.of(false, true) : List.of(true, false);
    }

    static Instant atOf(String line) {
        Matcher m = AT.matcher(line);
        if (!m.find()) {
            throw new BenchException("no at= in: " + line);
        }
        return Instant.parse(m.group(1));
    }

    /** The timestamp of an agent log line: {@code [grpc-etcd-agent] <instant> LEVEL ...}. */
    static Instant agentTime(String line) {
        int start = line.indexOf("[grpc-etcd-agent] ");
        if (start < 0) {
            throw new BenchException("not an agent log line: " + line);
        }
        String rest = line.substring(start + 18);
        return Instant.parse(rest.substring(0, rest.indexOf(' ')));
    }

    static String field(String line, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\S+)").matcher(line);
        if (!m.find()) {
            throw new BenchException("no " + name + "= in: " + line);
        }
        return m.group(1);
    }

    static long intField(String line, String name) {
        return Long.parseLong(field(line, name));
    }

    static int firstPort(String readyLine) {
        return Integer.parseInt(field(readyLine, "ports").split(",")[0]);
    }

    static double ms(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.3f", ratio);
    }

    static String signedMs(double ms) {
        return (ms >= 0 ? "+" : "−") + Samples.Unit.MS.format(Math.abs(ms));
    }

    static String spread(Samples s) {
        return String.format(Locale.ROOT, "±%.1f%%", (s.max() - s.min()) / 2 / s.median() * 100);
    }

    static String fmt(Samples s, int i) {
        return fmt(s, i, Samples.Unit.MS);
    }

    static String fmt(Samples s, int i, Samples.Unit unit) {
        return s.isEmpty() ? "-" : unit.format(s.median());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new BenchException("cannot read " + file + ": " + e);
        }
    }

    static List<String> run(List<String> command) {
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

    static String uptime() {
        List<String> lines = run(List.of("uptime"));
        return lines.isEmpty() ? "?" : lines.get(0).trim();
    }
}
