package org.grpcetcd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One app JVM started by the bench: every line of its stdout and stderr kept with the moment the bench read it
 * (and copied to a log file), its stdin open for commands. The launch moment is taken just before the process
 * is started.
 */
final class Child implements AutoCloseable {
    /** A line of output, where it came from and when the bench read it. */
    static final class Line {
        final int index;
        final String text;
        final long nanos;
        final Instant at;

        Line(int index, String text, long nanos, Instant at) {
            this.index = index;
            this.text = text;
            this.nanos = nanos;
            this.at = at;
        }
    }

    final String label;
    final long launchNanos;
    final Instant launchAt;
    private final Process process;
    private final Writer stdin;
    private final PrintWriter log;
    private final List<Line> lines = new ArrayList<>(); // guarded by itself

    private Child(String label, List<String> command, Path logFile) throws IOException {
        this.label = label;
        ProcessBuilder builder = new ProcessBuilder(command);
        this.log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
        log.println("# " + String.join(" ", command));
        this.launchAt = Instant.now();
        this.launchNanos = System.nanoTime();
        this.process = builder.start();
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        reader(process.getInputStream(), "out").start();
        reader(process.getErrorStream(), "err").start();
    }

    static Child start(String label, List<String> command, Path logDir) {
        try {
            return new Child(label, command, logDir.resolve(label + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + label, e);
        }
    }

    private Thread reader(InputStream stream, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String text = in.readLine(); text != null; text = in.readLine()) {
                    long nanos = System.nanoTime();
                    Instant at = Instant.now();
                    synchronized (lines) {
                        lines.add(new Line(lines.size(), text, nanos, at));
                        lines.notifyAll();
                    }
                    log.println(text);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, label + "-" + name);
        thread.setDaemon(true);
        return thread;
    }

    /** CPU time (user + system, every thread) the process has used so far, in ms; NaN when unknown. */
    double cpuMillis() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
    }

    long pid() {
        return process.pid();
    }

    /** How many lines have been read so far: pass it to {@link #await} to wait only for later lines. */
    int size() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** The first line at {@code fromIndex} or later that {@code match} accepts, waiting at most {@code timeoutMs}. */
    Line await(Predicate<String> match, int fromIndex, long timeoutMs) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lines) {
            int next = fromIndex;
            while (true) {
                for (; next < lines.size(); next++) {
                    if (match.test(lines.get(next).text)) {
                        return lines.get(next);
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && next >= lines.size() && exitedLongAgo())) {
                    throw new BenchException(label + ": expected line not seen within " + timeoutMs + " ms"
                            + (process.isAlive() ? "" : " (process exited " + process.exitValue() + ")")
                            + "; last lines: " + tail());
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BenchException(label + ": interrupted");
                }
            }
        }
    }

    private long exitSeenAt;

    /** Lets the readers drain for a moment after the process exits before giving up on a line. */
    private boolean exitedLongAgo() {
        if (exitSeenAt == 0) {
            exitSeenAt = System.nanoTime();
            return false;
        }
        return System.nanoTime() - exitSeenAt > TimeUnit.MILLISECONDS.toNanos(500);
    }

    Line await(String prefix, long timeoutMs) {
        return await(text -> text.startsWith(prefix), 0, timeoutMs);
    }

    private String tail() {
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, lines.size() - 6); i < lines.size(); i++) {
            String text = lines.get(i).text;
            out.append("\n    ").append(text, 0, Math.min(text.length(), 300));
        }
        return out.toString();
    }

    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(label + ": could not send " + command, e);
        }
    }

    /** Waits for the process to exit on its own (bounded), then ends it. */
    void awaitExit(long timeoutMs) {
        try {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the app to stop, then ends it if it does not within 10 s; returns once it has exited. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                try {
                    send("stop");
                    stdin.close();
                } catch (UncheckedIOException | IOException ignored) {
                    // already gone
                }
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(5, TimeUnit.SECONDS);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            log.flush();
        }
    }
}
