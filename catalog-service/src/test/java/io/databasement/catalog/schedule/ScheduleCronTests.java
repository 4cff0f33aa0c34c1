package io.databasement.catalog.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleCronTests {

    @Test
    void unixCronGetsASecondsFieldAndMacrosAreKept() {
        assertThat(ScheduleCron.parse("30 2 * * *", null).expression()).isEqualTo("0 30 2 * * *");
        assertThat(ScheduleCron.parse("0 0 3 * * MON-FRI", "Europe/Paris").expression()).isEqualTo("0 0 3 * * MON-FRI");
        assertThat(ScheduleCron.parse("@Hourly", "UTC").expression()).isEqualTo("@hourly");
    }

    @Test
    void refusesMoreThanOnceAMinuteBadFieldsBadZonesAndCronsThatNeverFire() {
        assertThatThrownBy(() -> ScheduleCron.parse("*/10 * * * * *", "UTC")).hasMessageContaining("once a minute");
        assertThatThrownBy(() -> ScheduleCron.parse("0,30 * * * * *", "UTC")).hasMessageContaining("once a minute");
        assertThatThrownBy(() -> ScheduleCron.parse("* * *", "UTC")).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> ScheduleCron.parse("0 61 * * * *", "UTC")).hasMessageContaining("not a valid cron");
        assertThatThrownBy(() -> ScheduleCron.parse("0 0 0 30 2 *", "UTC")).hasMessageContaining("never fires");
        assertThatThrownBy(() -> ScheduleCron.parse("@daily", "Mars/Olympus")).hasMessageContaining("time zone");
    }

    @Test
    void ticksAreWallClockTimesOfTheZoneAcrossDaylightSavingChanges() {
        ScheduleCron paris = ScheduleCron.parse("0 30 2 * * *", "Europe/Paris");
        assertThat(paris.next(Instant.parse("2026-06-01T00:00:00Z"))).isEqualTo(Instant.parse("2026-06-01T00:30:00Z"));
        assertThat(paris.next(Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo(Instant.parse("2026-12-01T01:30:00Z"));
        // 2026-03-29: Paris clocks jump from 02:00 to 03:00, so 02:30 does not exist: it fires at 03:30 CEST
        Instant springForward = paris.next(Instant.parse("2026-03-28T12:00:00Z"));
        assertThat(springForward).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(paris.next(springForward)).isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
        // 2026-10-25: 02:00-03:00 happens twice; a daily 02:30 fires once, at the first 02:30 (CEST)
        Instant fallBack = paris.next(Instant.parse("2026-10-24T12:00:00Z"));
        assertThat(fallBack).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(paris.next(fallBack.plusMillis(300))).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
        // created during the repeated hour, after the first 02:30 but before the second: the second one is next
        assertThat(paris.next(Instant.parse("2026-10-25T01:15:00Z"))).isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
    }

    @Test
    void anHourlyScheduleNeverGoesBackInTimeAcrossTheChanges() {
        ScheduleCron hourly = ScheduleCron.parse("@hourly", "Europe/Paris");
        for (Instant from : new Instant[] {Instant.parse("2026-03-28T22:00:00Z"), Instant.parse("2026-10-24T22:00:00Z")}) {
            Instant t = from;
            for (int i = 0; i < 8; i++) {
                Instant next = hourly.next(t);
                assertThat(next).isAfter(t);
                assertThat(java.time.Duration.between(t, next)).isLessThanOrEqualTo(java.time.Duration.ofHours(2));
                t = next;
            }
        }
    }

    @Test
    void previousTickAndThePeriodAroundAnInstant() {
        ScheduleCron weekdays = ScheduleCron.parse("0 0 9 * * MON-FRI", "UTC");
        Instant saturday = Instant.parse("2026-11-28T10:00:00Z");
        assertThat(weekdays.previous(saturday)).isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
        assertThat(weekdays.periodAround(saturday)).isEqualTo(Duration.ofDays(3));
        ScheduleCron minutely = ScheduleCron.parse("* * * * *", "UTC");
        assertThat(minutely.previous(Instant.parse("2026-11-25T10:00:30Z"))).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(minutely.periodAround(Instant.parse("2026-11-25T10:00:30Z"))).isEqualTo(Duration.ofMinutes(1));
        ScheduleCron yearly = ScheduleCron.parse("@yearly", "UTC");
        assertThat(yearly.previous(Instant.parse("2026-11-25T00:00:00Z"))).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }
}
