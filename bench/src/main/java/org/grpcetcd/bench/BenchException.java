package org.grpcetcd.bench;

/** A measurement that could not be taken; the bench reports it in the row instead of a figure. */
final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message);
    }
}
