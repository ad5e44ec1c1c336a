package org.grpcetcd.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void matchesJavaTimeForAnyInstantWithNanoseconds() {
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(ThreadLocalRandom.current().nextLong(0, 8_000_000_000L),
                    ThreadLocalRandom.current().nextInt(1, 1_000_000_000));
            String formatted = Timestamps.format(instant);
            assertThat(Instant.parse(formatted)).isEqualTo(instant);
            assertThat(formatted).hasSize(30);
        }
    }

    @Test
    void knownDates() {
        assertThat(Timestamps.format(Instant.parse("2024-02-29T23:59:59.000000001Z")))
                .isEqualTo("2024-02-29T23:59:59.000000001Z");
        assertThat(Timestamps.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000000Z");
    }
}
