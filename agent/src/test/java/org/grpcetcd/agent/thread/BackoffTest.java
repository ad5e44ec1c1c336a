package org.grpcetcd.agent.thread;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCeilingWithJitterBelowEachStep() {
        Backoff backoff = new Backoff(100, 1000);
        long[] bases = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long base : bases) {
            assertThat(backoff.nextDelayMillis()).isBetween(base - base / 5, base);
        }
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isBetween(80L, 100L);
    }
}
