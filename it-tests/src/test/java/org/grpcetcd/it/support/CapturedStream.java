package org.grpcetcd.it.support;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads one output stream of a process line by line on its own thread, into memory and into a file. */
final class CapturedStream {
    private final String name;
    private final Path file;
    private final List<OutputLine> lines = new ArrayList<>();
    private final Thread reader;
    private final Object changed;
    private boolean ended;

    /** {@code changed} is notified (under its monitor) whenever a line arrives or the stream ends. */
    CapturedStream(String name, InputStream in, Path file, Object changed) {
        this.name = name;
        this.file = file;
        this.changed = changed;
        this.reader = new Thread(() -> pump(in), "capture-" + name);
        this.reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    private void pump(InputStream in) {
        try (BufferedReader source = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                BufferedWriter sink = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line = source.readLine(); line != null; line = source.readLine()) {
                long now = System.nanoTime();
                sink.write(line);
                sink.newLine();
                sink.flush();
                synchronized (changed) {
                    lines.add(new OutputLine(line, now));
                    changed.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone or its pipe was closed: what was read so far stays
        } finally {
            synchronized (changed) {
                ended = true;
                changed.notifyAll();
            }
        }
    }

    /** Call under the monitor of {@code changed}. */
    boolean ended() {
        return ended;
    }

    List<OutputLine> snapshot() {
        synchronized (changed) {
            return new ArrayList<>(lines);
        }
    }

    /** Call under the monitor of {@code changed}: the first line matching (find) {@code pattern}. */
    OutputLine firstMatch(Pattern pattern, int fromIndex) {
        for (int i = fromIndex; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i).text()).find()) {
                return lines.get(i);
            }
        }
        return null;
    }

    String tail(int count) {
        List<OutputLine> all = snapshot();
        return all.subList(Math.max(0, all.size() - count), all.size()).stream().map(OutputLine::text)
                .collect(Collectors.joining("\n  ", "  ", ""));
    }

    Path file() {
        return file;
    }

    void join(long millis) {
        try {
            reader.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
