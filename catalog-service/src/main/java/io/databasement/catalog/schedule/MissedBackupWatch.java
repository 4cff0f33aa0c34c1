package io.databasement.catalog.schedule;

import io.databasement.catalog.server.Server;
import io.databasement.catalog.server.ServerService;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.ScheduleMissed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dead-man's switch: a schedule with no COMPLETED snapshot by its deadline ({@link Schedule#deadline}) enters
 * a missed episode. Every replica checks; the conditional update of the schedule's health
 * ({@link ScheduleStore#markMissed}) lets exactly one of them raise the alert, in the same transaction:
 * {@code schedule.missed} through the outbox and the webhook delivery. The episode ends when a snapshot of the
 * schedule completes. Metrics: gauge {@code dbm.schedule.missed{schedule}} (0/1), counter
 * {@code dbm.schedule.missed.episodes}, and gauge {@code dbm.schedule.last.success{schedule}}: the epoch seconds of
 * the schedule's last completed snapshot, with no row for a schedule that never completed one (so an alert on
 * {@code time() - dbm_schedule_last_success_timestamp_seconds} never fires on a fake 1970).
 */
@Component
public class MissedBackupWatch {

    private static final Logger log = LoggerFactory.getLogger(MissedBackupWatch.class);

    private final ScheduleStore store;
    private final ServerService servers;
    private final WebhookOutbox webhooks;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final MultiGauge missedGauge;
    private final MultiGauge lastSuccessGauge;
    private final Counter episodes;

    MissedBackupWatch(ScheduleStore store, ServerService servers, WebhookOutbox webhooks,
                      ApplicationEventPublisher events, TransactionTemplate tx, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.servers = servers;
        this.webhooks = webhooks;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
        this.missedGauge = MultiGauge.builder("dbm.schedule.missed")
                .description("1 while the schedule has no completed snapshot within its period plus grace time")
                .register(meters);
        this.lastSuccessGauge = MultiGauge.builder("dbm.schedule.last.success")
                .description("when the schedule's last completed snapshot completed, epoch seconds")
                .baseUnit("timestamp_seconds")
                .register(meters);
        this.episodes = Counter.builder("dbm.schedule.missed.episodes")
                .description("missed-backup episodes this replica raised the alert for").register(meters);
    }

    /** @return the schedules this replica raised a missed alert for */
    public List<UUID> check() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<UUID> raised = new ArrayList<>();
        for (Schedule schedule : store.enabled()) {
            if (schedule.health() == ScheduleHealth.MISSED) {
                continue;
            }
            Instant deadline;
            try {
                deadline = schedule.deadline(schedule.parsedCron());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (deadline != null && now.isAfter(deadline) && raise(schedule, deadline, now)) {
                raised.add(schedule.id());
            }
        }
        refreshGauge();
        return raised;
    }

    private boolean raise(Schedule schedule, Instant deadline, Instant now) {
        Boolean won = tx.execute(status -> {
            if (!store.markMissed(schedule.id(), schedule.lastCompletedAt(), deadline, now)) {
                return false;
            }
            ScheduleMissed missed = new ScheduleMissed(schedule.id(), schedule.name(), schedule.serverId(),
                    serverName(schedule), schedule.databases(), schedule.lastCompletedAt(), deadline, now);
            events.publishEvent(new ScheduleMissedEvent(UUID.randomUUID().toString(), now, missed));
            webhooks.enqueue(schedule, MessageTypes.SCHEDULE_MISSED.ceType(), missed, now);
            return true;
        });
        if (Boolean.TRUE.equals(won)) {
            episodes.increment();
            log.warn("schedule '{}' MISSED: no completed snapshot by {} (last completed {})", schedule.name(), deadline,
                    schedule.lastCompletedAt());
            return true;
        }
        return false;
    }

    private String serverName(Schedule schedule) {
        try {
            Server server = servers.get(schedule.serverId());
            return server.name();
        } catch (CatalogException e) {
            return null;
        }
    }

    /** Every schedule's 0/1 and last success from the database, so every replica exports the same values. */
    void refreshGauge() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<MultiGauge.Row<?>> successes = new ArrayList<>();
        for (Schedule s : store.all()) {
            rows.add(MultiGauge.Row.of(Tags.of("schedule", s.name()), s.enabled() && s.health() == ScheduleHealth.MISSED ? 1 : 0));
            if (s.lastCompletedAt() != null) {
                successes.add(MultiGauge.Row.of(Tags.of("schedule", s.name()), s.lastCompletedAt().toEpochMilli() / 1000.0));
            }
        }
        missedGauge.register(rows, true);
        lastSuccessGauge.register(successes, true);
    }
}
