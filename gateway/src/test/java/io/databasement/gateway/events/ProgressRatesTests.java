package io.databasement.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ProgressRatesTests {

    private static final Instant T0 = Instant.parse("2026-11-25T16:00:00Z");
    private static final long MB = 1_000_000;

    private final ProgressRates rates = new ProgressRates();

    @Test
    void theFirstReportOfAnAttemptHasNoRateYet() {
        assertThat(rates.record(UUID.randomUUID(), 5 * MB, T0)).isNull();
    }

    @Test
    void theRateIsTheBytesGainedOverTheTimeBetweenReports() {
        UUID attempt = UUID.randomUUID();
        rates.record(attempt, 0, T0);

        assertThat(rates.record(attempt, 4 * MB, T0.plusSeconds(2))).isEqualTo(2 * MB);
        assertThat(rates.record(attempt, 10 * MB, T0.plusSeconds(4))).isEqualTo(10 * MB / 4);
    }

    @Test
    void onlyTheLastTenSecondsOfReportsCount() {
        UUID attempt = UUID.randomUUID();
        // fast for 10 s, then slow: the rate follows the slowdown instead of averaging the whole run
        for (int s = 0; s <= 10; s += 2) {
            rates.record(attempt, s * 10 * MB, T0.plusSeconds(s));
        }
        Long rate = null;
        long bytes = 100 * MB;
        for (int s = 12; s <= 20; s += 2) {
            bytes += 2 * MB;
            rate = rates.record(attempt, bytes, T0.plusSeconds(s));
        }
        // from the report at 10 s (100 MB) to 20 s (110 MB)
        assertThat(rate).isEqualTo(MB);
    }

    @Test
    void reportsFurtherApartThanTheWindowStillGiveARate() {
        UUID attempt = UUID.randomUUID();
        rates.record(attempt, 0, T0);

        assertThat(rates.record(attempt, 30 * MB, T0.plusSeconds(30))).isEqualTo(MB);
    }

    @Test
    void aDuplicateOrLateReportChangesNothing() {
        UUID attempt = UUID.randomUUID();
        rates.record(attempt, 0, T0);
        rates.record(attempt, 4 * MB, T0.plusSeconds(2));

        assertThat(rates.record(attempt, 4 * MB, T0.plusSeconds(2))).isEqualTo(2 * MB);
        assertThat(rates.record(attempt, 1 * MB, T0.plusSeconds(1))).isEqualTo(2 * MB);
        assertThat(rates.record(attempt, 8 * MB, T0.plusSeconds(4))).isEqualTo(2 * MB);
    }

    @Test
    void attemptsAreMeasuredApart() {
        UUID slow = UUID.randomUUID();
        UUID fast = UUID.randomUUID();
        rates.record(slow, 0, T0);
        rates.record(fast, 0, T0);

        assertThat(rates.record(fast, 10 * MB, T0.plusSeconds(1))).isEqualTo(10 * MB);
        assertThat(rates.record(slow, MB, T0.plusSeconds(1))).isEqualTo(MB);
    }

    @Test
    void bytesGoingBackStartTheMeasurementOver() {
        UUID attempt = UUID.randomUUID();
        rates.record(attempt, 0, T0);
        rates.record(attempt, 8 * MB, T0.plusSeconds(2));

        assertThat(rates.record(attempt, MB, T0.plusSeconds(4))).isNull();
        assertThat(rates.record(attempt, 3 * MB, T0.plusSeconds(6))).isEqualTo(MB);
    }

    @Test
    void etaIsTheRemainingBytesAtTheCurrentRateRoundedUp() {
        assertThat(ProgressRates.etaSeconds(4 * MB, 10 * MB, 2 * MB)).isEqualTo(3);
        assertThat(ProgressRates.etaSeconds(4 * MB, 10 * MB, 4 * MB)).isEqualTo(2);
        assertThat(ProgressRates.etaSeconds(10 * MB, 10 * MB, 4 * MB)).isZero();
    }

    @Test
    void etaIsUnknownWithoutARateAMovingTransferOrATotal() {
        assertThat(ProgressRates.etaSeconds(4 * MB, 10 * MB, null)).isNull();
        assertThat(ProgressRates.etaSeconds(4 * MB, 10 * MB, 0L)).isNull();
        assertThat(ProgressRates.etaSeconds(4 * MB, 0, 2 * MB)).isNull();
    }

    @Test
    void percentHasOneDecimalAndNeverPassesAHundred() {
        assertThat(LiveEvents.percent(1, 3)).isEqualTo(33.3);
        assertThat(LiveEvents.percent(2 * MB, MB)).isEqualTo(100.0);
        assertThat(LiveEvents.percent(5, 0)).isNull();
    }
}
