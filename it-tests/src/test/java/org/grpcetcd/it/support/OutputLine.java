package org.grpcetcd.it.support;

/** One line an app printed, and when the test saw it ({@link System#nanoTime()}). */
public final class OutputLine {
    private final String text;
    private final long seenAtNanos;

    OutputLine(String text, long seenAtNanos) {
        this.text = text;
        this.seenAtNanos = seenAtNanos;
    }

    public String text() {
        return text;
    }

    public long seenAtNanos() {
        return seenAtNanos;
    }

    @Override
    public String toString() {
        return text;
    }
}
