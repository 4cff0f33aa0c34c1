package io.databasement.catalog.schedule;

import io.databasement.catalog.snapshot.SnapshotRequest;
import io.databasement.catalog.snapshot.SnapshotService;
import io.databasement.catalog.web.CatalogException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fires due schedules, exactly once per tick however many catalog replicas poll: each replica reads the due
 * schedules, and for each one only the replica whose conditional update of {@code next_fire_at} counts
 * ({@link ScheduleStore#claimTick}) asks for the tick's snapshots. The next tick is the first one after now, so
 * ticks missed while every catalog was down fire once, not once each.
 *
 * <p>The claim commits before the snapshots are asked for (each through the normal request path: admission,
 * outbox): a snapshot request that fails (server or volume gone, storage-service unreachable) does not make the
 * tick fire again every few seconds. A catalog that dies between the two loses that tick, and the missed-backup
 * alert tells.
 */
@Component
public class ScheduleFiring {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFiring.class);

    private final ScheduleStore store;
    private final SnapshotService snapshots;
    private final Clock clock;

    ScheduleFiring(ScheduleStore store, SnapshotService snapshots, Clock clock) {
        this.store = store;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** @return the schedules whose tick this replica fired */
    public List<UUID> fireDue() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<UUID> fired = new ArrayList<>();
        for (Schedule schedule : store.due(now)) {
            Instant next;
            try {
                next = schedule.parsedCron().next(now);
            } catch (IllegalArgumentException e) {
                log.error("schedule {} ('{}') has a cron expression that no longer parses: {}", schedule.id(),
                        schedule.name(), e.getMessage());
                continue;
            }
            if (store.claimTick(schedule.id(), schedule.nextFireAt(), next)) {
                fired.add(schedule.id());
                log.info("schedule '{}' fires its tick of {} (next {})", schedule.name(), schedule.nextFireAt(), next);
                fire(schedule, true);
            }
        }
        return fired;
    }

    /**
     * One snapshot per database of the schedule, each remembering the schedule.
     *
     * @param tolerant true for a tick (a database whose request fails is logged, the others still go);
     *                 false for a manual run (the first refusal is the answer)
     */
    List<UUID> fire(Schedule schedule, boolean tolerant) {
        List<UUID> ids = new ArrayList<>();
        for (String database : schedule.databases()) {
            SnapshotRequest request = new SnapshotRequest(schedule.serverId(), database, schedule.volumeId(),
                    schedule.compression(), schedule.compressionLevel());
            try {
                ids.add(snapshots.request(request, schedule.id()).id());
            } catch (CatalogException e) {
                if (!tolerant) {
                    throw e;
                }
                log.warn("schedule '{}': the snapshot of database '{}' was refused: {}", schedule.name(), database,
                        e.getMessage());
            } catch (RuntimeException e) {
                if (!tolerant) {
                    throw e;
                }
                log.error("schedule '{}': the snapshot of database '{}' could not be asked for", schedule.name(),
                        database, e);
            }
        }
        return ids;
    }
}
