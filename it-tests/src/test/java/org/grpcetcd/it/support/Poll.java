package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it, and fails saying what was awaited when it never comes true. */
public final class Poll {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);

    private Poll() {
    }

    /** Polls every 20 ms; returns how long it took. */
    public static Duration until(BooleanSupplier condition, Duration timeout, String what) {
        return until(condition, timeout, DEFAULT_INTERVAL, what);
    }

    public static Duration until(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        return until(condition, timeout, DEFAULT_INTERVAL, what);
    }

    public static Duration until(BooleanSupplier condition, Duration timeout, Duration interval, String what) {
        return until(condition, timeout, interval, () -> what);
    }

    /** {@code what} is asked for only on failure, so it can describe the state at the time. */
    public static Duration until(BooleanSupplier condition, Duration timeout, Duration interval,
            Supplier<String> what) {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - begin);
            }
            if (System.nanoTime() - deadline >= 0) {
                return fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what.get());
            }
            sleep(interval);
        }
    }

    /** Polls {@code supplier} every 20 ms until it returns a value, and returns it. */
    public static <T> T untilPresent(Supplier<Optional<T>> supplier, Duration timeout, String what) {
        Object[] found = new Object[1];
        until(() -> {
            Optional<T> value = supplier.get();
            value.ifPresent(v -> found[0] = v);
            return value.isPresent();
        }, timeout, what);
        @SuppressWarnings("unchecked")
        T value = (T) found[0];
        return value;
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
