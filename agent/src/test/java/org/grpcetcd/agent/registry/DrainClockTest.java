package org.grpcetcd.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainClockTest {
    private static final long DRAIN_MS = 60_000;
    private final DrainClock clock = new DrainClock(DRAIN_MS);

    @Test
    void aKeyThatNeverReachedEtcdHasNothingToDrain() {
        clock.putting("a");
        clock.notPut("a");
        clock.left("a");
        assertThat(clock.maybeInEtcd("a")).isFalse();
        assertThat(clock.remainingNanos(List.of("a", "never-put"))).isZero();
    }

    @Test
    void aKeyThatLeftDrainsFromWhenItLeft() {
        clock.putting("a");
        assertThat(clock.maybeInEtcd("a")).isTrue();
        clock.left("a");
        assertThat(clock.maybeInEtcd("a")).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(clock.remainingNanos(List.of("a"))))
                .isBetween(DRAIN_MS - 5_000, DRAIN_MS);
    }

    @Test
    void aRevokedLeaseStartsOneDrainForEveryKeyAndTellsWhetherThereWasAny() {
        assertThat(clock.allLeft()).isFalse();
        clock.putting("a");
        clock.putting("b");
        assertThat(clock.allLeft()).isTrue();
        assertThat(clock.maybeInEtcd("a")).isFalse();
        assertThat(clock.maybeInEtcd("b")).isFalse();
        long a = clock.remainingNanos(List.of("a"));
        long b = clock.remainingNanos(List.of("b"));
        assertThat(a).isPositive();
        assertThat(Math.abs(a - b)).isLessThan(TimeUnit.SECONDS.toNanos(5));
        clock.left("a"); // already gone: a later stop does not start the drain over
        assertThat(clock.remainingNanos(List.of("a"))).isLessThanOrEqualTo(a);
    }

    @Test
    void aKeyPutAgainAfterLeavingIsInEtcdOnceMore() {
        clock.putting("a");
        clock.left("a");
        clock.putting("a");
        assertThat(clock.maybeInEtcd("a")).isTrue();
        assertThat(clock.remainingNanos(List.of("a"))).isZero();
    }
}
