package io.databasement.catalog.schedule;

import io.databasement.catalog.CatalogProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every timer of schedules in one place, each safe on every replica at once (see the classes they call).
 * {@code dbm.schedules.timers-enabled=false} switches them off (tests drive the same methods by hand).
 */
@Component
@ConditionalOnProperty(name = "dbm.schedules.timers-enabled", havingValue = "true", matchIfMissing = true)
class ScheduleTimers {

    private final ScheduleFiring firing;
    private final MissedBackupWatch missed;
    private final ScheduleRetention retention;
    private final WebhookDispatcher webhooks;
    private final Duration keep;
    private final Clock clock;

    ScheduleTimers(ScheduleFiring firing, MissedBackupWatch missed, ScheduleRetention retention,
                   WebhookDispatcher webhooks, CatalogProperties properties, Clock clock) {
        this.firing = firing;
        this.missed = missed;
        this.retention = retention;
        this.webhooks = webhooks;
        this.keep = properties.catalog().retention();
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT5S", fixedDelayString = "${dbm.schedules.poll-interval:PT5S}")
    void fireDue() {
        firing.fireDue();
    }

    @Scheduled(initialDelayString = "PT20S", fixedDelayString = "${dbm.schedules.missed-check-interval:PT30S}")
    void checkMissed() {
        missed.check();
    }

    @Scheduled(cron = "${dbm.schedules.retention-cron:0 30 3 * * *}")
    void applyRetention() {
        retention.applyAll();
    }

    @Scheduled(initialDelayString = "PT5S", fixedDelayString = "${dbm.schedules.webhooks.poll-interval:PT2S}")
    void sendWebhooks() {
        webhooks.dispatchDue();
    }

    /** Ended deliveries are kept as long as processed message ids ({@code dbm.catalog.retention}). */
    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
    void purgeWebhooks() {
        webhooks.purge(clock.instant().minus(keep));
    }
}
