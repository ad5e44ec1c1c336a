package org.grpcetcd.it.support.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A process that is not a Java app (the Go peer): its stdout and stderr captured line by line into memory and
 * into {@code .out}/{@code .err} files, stopped by SIGTERM or killed on {@link #close()}.
 */
public final class PeerProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread[] readers = new Thread[2];
    private boolean outEnded;

    private PeerProcess(String name, List<String> command, Map<String, String> env, Path outFile, Path errFile) {
        this.name = name;
        this.command = List.copyOf(command);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        try {
            Files.createDirectories(outFile.getParent());
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
        readers[0] = pump(process.getInputStream(), outFile, out, true);
        readers[1] = pump(process.getErrorStream(), errFile, err, false);
    }

    /** Starts {@code command}; its output goes to {@code <logBase>.out} and {@code <logBase>.err}. */
    public static PeerProcess start(String name, List<String> command, Map<String, String> env, Path logBase) {
        return new PeerProcess(name, command, env, Path.of(logBase + ".out"), Path.of(logBase + ".err"));
    }

    private Thread pump(InputStream in, Path file, List<String> sink, boolean isOut) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                    synchronized (this) {
                        sink.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                synchronized (this) {
                    if (isOut) {
                        outEnded = true;
                    }
                    notifyAll();
                }
            }
        }, "capture-" + name + (isOut ? ".out" : ".err"));
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public String name() {
        return name;
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(out);
    }

    public synchronized List<String> errLines() {
        return new ArrayList<>(err);
    }

    /** Waits for a stdout line matching (find) {@code pattern} and returns it. */
    public synchronized String awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : out) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || outEnded) {
                return fail(name + ": no stdout line matching /" + pattern + "/ "
                        + (outEnded ? "before its stdout ended" : "within " + timeout.toMillis() + " ms")
                        + "\ncommand: " + String.join(" ", command) + "\nstdout: " + out + "\nstderr: " + err);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits for the process to exit and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " did not exit within " + timeout.toMillis() + " ms; stdout: " + lines() + "; stderr: "
                        + errLines());
            }
            for (Thread reader : readers) {
                reader.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** SIGTERM, then waits for the exit. */
    public int terminate(Duration timeout) {
        process.toHandle().destroy();
        return awaitExit(timeout);
    }

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
    }
}
