package org.grpcetcd.agent.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CertificateExpiryTest {
    private static final Instant NOT_AFTER = Instant.parse("2026-12-10T12:00:00Z");

    @Test
    void warnsWithinSevenDaysOnceADayAndNotBeforeNorAfterExpiry() {
        CertificateExpiry expiry = new CertificateExpiry(Path.of("agent.pem"), NOT_AFTER);
        Instant eightDaysBefore = NOT_AFTER.minus(Duration.ofDays(8));
        assertThat(expiry.due(eightDaysBefore)).as("8 days before").isFalse();

        Instant sixDaysBefore = NOT_AFTER.minus(Duration.ofDays(6));
        assertThat(expiry.due(sixDaysBefore)).as("6 days before").isTrue();
        expiry.check(sixDaysBefore);
        assertThat(expiry.due(sixDaysBefore.plus(Duration.ofHours(23)))).as("23 h after the warning").isFalse();
        assertThat(expiry.due(sixDaysBefore.plus(Duration.ofHours(24)))).as("a day after the warning").isTrue();

        assertThat(expiry.due(NOT_AFTER)).as("expired").isFalse();
    }

    @Test
    void anUnreadableCertificateIsNeverDue() {
        assertThat(new CertificateExpiry(Path.of("agent.pem"), null).due(NOT_AFTER)).isFalse();
        assertThat(CertificateExpiry.of(Path.of("no-such-file.pem")).due(NOT_AFTER)).isFalse();
    }
}
