package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One app JVM: its stdout and stderr captured line by line in memory and in {@code .out}/{@code .err} files, its
 * stdin kept open until {@link #close()} (the echo client stops on stdin EOF).
 */
public final class AppProcess implements AutoCloseable {
    private static final int TAIL_LINES = 40;

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Object changed = new Object();
    private final CapturedStream stdout;
    private final CapturedStream stderr;
    private final Writer stdin;

    private AppProcess(String name, List<String> command, Process process, Path outFile, Path errFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.stdout = new CapturedStream(name + ".out", process.getInputStream(), outFile, changed);
        this.stderr = new CapturedStream(name + ".err", process.getErrorStream(), errFile, changed);
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        stdout.start();
        stderr.start();
    }

    /** Starts {@code command} with exactly {@code environment}, capturing into {@code <logBase>.out|.err}. */
    static AppProcess start(String name, List<String> command, Map<String, String> environment, Path outFile,
            Path errFile) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            return new AppProcess(name, command, builder.start(), outFile, errFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for a stdout line matching (find) {@code pattern} and returns it. */
    public String awaitLine(Pattern pattern, Duration timeout) {
        return await(stdout, pattern, 0, timeout).text();
    }

    /** Waits for a stdout line matching (find) {@code pattern}, and returns it with when it was seen. */
    public OutputLine awaitOutputLine(Pattern pattern, Duration timeout) {
        return await(stdout, pattern, 0, timeout);
    }

    /** Waits for a stdout line matching {@code pattern} at index {@code fromIndex} or later. */
    public OutputLine awaitLineAfter(int fromIndex, Pattern pattern, Duration timeout) {
        return await(stdout, pattern, fromIndex, timeout);
    }

    /** Waits for a stderr line matching (find) {@code pattern} and returns it. */
    public String awaitErrLine(Pattern pattern, Duration timeout) {
        return await(stderr, pattern, 0, timeout).text();
    }

    /** Stdout lines so far. */
    public List<String> lines() {
        return stdout.snapshot().stream().map(OutputLine::text).collect(Collectors.toList());
    }

    /** Stdout lines so far, with when each was seen. */
    public List<OutputLine> outputLines() {
        return stdout.snapshot();
    }

    /** Stderr lines so far. */
    public List<String> errLines() {
        return stderr.snapshot().stream().map(OutputLine::text).collect(Collectors.toList());
    }

    /** The first stdout line matching {@code pattern} so far. */
    public Optional<OutputLine> firstLine(Pattern pattern) {
        synchronized (changed) {
            return Optional.ofNullable(stdout.firstMatch(pattern, 0));
        }
    }

    /** Writes one line to the app's stdin. */
    public void send(String line) {
        try {
            synchronized (stdin) {
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
            }
        } catch (IOException e) {
            fail(name + ": could not send '" + line + "' (process " + (process.isAlive() ? "alive" : "exited with "
                    + process.exitValue()) + ")" + tails(), e);
        }
    }

    /**
     * SIGTERM (shutdown hooks run); returns the exit code once the JVM has exited. The signal goes through the
     * {@link ProcessHandle}: {@link Process#destroy()} would also close our ends of the pipes at once, losing
     * what the shutdown hooks print.
     */
    public int terminate(Duration timeout) {
        process.toHandle().destroy();
        return awaitExit(timeout);
    }

    /** kill -9; returns once the process is gone. */
    public void kill() {
        process.toHandle().destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " did not exit within " + timeout.toMillis() + " ms" + tails());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        stdout.join(5000); // the rest of its output, up to EOF
        stderr.join(5000);
        return process.exitValue();
    }

    /** Kills the process if it still runs, then closes its stdin and lets the capture threads finish. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the pipe is already broken: the process is gone
        }
        stdout.join(5000);
        stderr.join(5000);
    }

    private OutputLine await(CapturedStream stream, Pattern pattern, int fromIndex, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                OutputLine found = stream.firstMatch(pattern, fromIndex);
                if (found != null) {
                    return found;
                }
                if (stream.ended()) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(changed, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        boolean ended;
        synchronized (changed) {
            ended = stream.ended();
        }
        if (ended) {
            try {
                process.waitFor(2, TimeUnit.SECONDS); // closed its output: it is exiting, report how
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String state = process.isAlive() ? "still running" : "exited with code " + process.exitValue();
        return fail(name + ": no line matching /" + pattern + "/ on " + stream.file().getFileName()
                + (ended ? " before that stream ended" : " within " + timeout.toMillis() + " ms")
                + " (process " + state + ")" + tails());
    }

    private String tails() {
        return "\ncommand: " + String.join(" ", command)
                + "\nlast " + TAIL_LINES + " lines of stdout (" + stdout.file() + "):\n" + stdout.tail(TAIL_LINES)
                + "\nlast " + TAIL_LINES + " lines of stderr (" + stderr.file() + "):\n" + stderr.tail(TAIL_LINES);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
