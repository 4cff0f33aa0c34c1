package io.databasement.catalog.schedule;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dbm.schedules.*} (see docs/conventions.md). The intervals are ISO-8601 durations ({@code PT5S}): the
 * timers read them too.
 *
 * @param timersEnabled       false stops every timer of this feature (tests drive them by hand)
 * @param pollInterval        how often each replica looks for due schedules
 * @param missedCheckInterval how often each replica checks deadlines (dead-man's switch)
 * @param retentionCron       when retention runs over every schedule, besides after each completed snapshot
 * @param defaultGraceMinutes grace time of a schedule that names none
 */
@Validated
@ConfigurationProperties("dbm.schedules")
public record ScheduleProperties(@DefaultValue("true") boolean timersEnabled,
                                 @NotNull @DefaultValue("PT5S") Duration pollInterval,
                                 @NotNull @DefaultValue("PT30S") Duration missedCheckInterval,
                                 @NotBlank @DefaultValue("0 30 3 * * *") String retentionCron,
                                 @Min(1) @Max(10080) @DefaultValue("30") int defaultGraceMinutes,
                                 @Valid @DefaultValue Webhooks webhooks) {

    /**
     * @param pollInterval   how often each replica looks for deliveries due
     * @param connectTimeout / readTimeout of one delivery
     * @param maxAttempts    then the delivery is FAILED (and logged)
     * @param firstBackoff   wait after the first failure, doubled after each next one
     * @param threads        deliveries in flight at once per replica
     */
    public record Webhooks(@NotNull @DefaultValue("PT2S") Duration pollInterval,
                           @NotNull @DefaultValue("5s") Duration connectTimeout,
                           @NotNull @DefaultValue("10s") Duration readTimeout,
                           @Min(1) @DefaultValue("8") int maxAttempts,
                           @NotNull @DefaultValue("1m") Duration firstBackoff,
                           @Min(1) @DefaultValue("4") int threads) {
    }
}
