package io.databasement.catalog.schedule;

import io.databasement.catalog.server.Server;
import io.databasement.catalog.server.ServerService;
import io.databasement.catalog.snapshot.SnapshotPage;
import io.databasement.catalog.snapshot.SnapshotService;
import io.databasement.catalog.volume.VolumeDirectory;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.Compression;
import io.databasement.engines.InvalidDatabaseNameException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Schedules: validation and CRUD. Deleting a schedule keeps its snapshots (they keep their {@code scheduleId}
 * and are no longer pruned by retention).
 */
@Service
public class ScheduleService {

    private final ScheduleStore store;
    private final ServerService servers;
    private final VolumeDirectory volumes;
    private final SnapshotService snapshots;
    private final ScheduleFiring firing;
    private final ScheduleRetention retention;
    private final ScheduleProperties properties;
    private final Clock clock;

    ScheduleService(ScheduleStore store, ServerService servers, VolumeDirectory volumes, SnapshotService snapshots,
                    ScheduleFiring firing, ScheduleRetention retention, ScheduleProperties properties, Clock clock) {
        this.store = store;
        this.servers = servers;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.firing = firing;
        this.retention = retention;
        this.properties = properties;
        this.clock = clock;
    }

    public Schedule create(ScheduleRequest request) {
        Instant now = now();
        Schedule draft = validated(UUID.randomUUID(), request, now, null);
        if (store.nameTaken(draft.name())) {
            throw nameTaken(draft.name());
        }
        try {
            store.insert(draft);
        } catch (DuplicateKeyException e) {
            throw nameTaken(draft.name());
        }
        return draft;
    }

    /**
     * PUT: replaces the configuration. The next tick is kept unless the cron, the zone or enabled changed; a schedule
     * enabled again starts over as NEW, its first deadline counted from then.
     */
    public Schedule update(UUID id, ScheduleRequest request) {
        Schedule current = get(id);
        Instant now = now();
        Schedule next = validated(id, request, now, current);
        if (!current.name().equals(next.name()) && store.nameTaken(next.name())) {
            throw nameTaken(next.name());
        }
        boolean retick = current.enabled() != next.enabled() || !current.cron().equals(next.cron())
                || !current.timeZone().equals(next.timeZone());
        try {
            boolean rearm = next.enabled() && !current.enabled();
            if (!store.update(next, current.version(), retick, rearm)) {
                throw CatalogException.conflict("schedule-changed", "Schedule changed",
                        "schedule " + id + " was changed or deleted concurrently; read it again");
            }
        } catch (DuplicateKeyException e) {
            throw nameTaken(next.name());
        }
        return get(id);
    }

    public Schedule get(UUID id) {
        return store.find(id).orElseThrow(() -> CatalogException.notFound("schedule", id));
    }

    public List<Schedule> list() {
        return store.all();
    }

    /** Its snapshots stay, with their {@code scheduleId}; retention no longer touches them. */
    public void delete(UUID id) {
        if (!store.delete(id)) {
            throw CatalogException.notFound("schedule", id);
        }
    }

    /** Fires now, whether enabled or not, without moving the next tick: the ids of the snapshots asked for. */
    public List<UUID> run(UUID id) {
        Schedule schedule = get(id);
        List<UUID> ids = firing.fire(schedule, false);
        store.firedByHand(id, now());
        return ids;
    }

    public RetentionPreview retentionPreview(UUID id) {
        Schedule schedule = get(id);
        Instant now = now();
        return new RetentionPreview(id, schedule.retention() == null ? null : schedule.retention().toJson(),
                schedule.timeZone(), now, retention.plan(schedule, now));
    }

    public SnapshotPage snapshots(UUID id, String status, int page, int size) {
        get(id);
        return snapshots.list(SnapshotService.Filter.ofSchedule(id, status), page, size);
    }

    private Schedule validated(UUID id, ScheduleRequest r, Instant now, Schedule current) {
        ZoneId zone;
        try {
            zone = ScheduleCron.zone(r.timeZone());
        } catch (IllegalArgumentException e) {
            throw CatalogException.invalidField("invalid-time-zone", "timeZone", e.getMessage());
        }
        ScheduleCron cron;
        try {
            cron = ScheduleCron.parse(r.cron(), zone.getId());
        } catch (IllegalArgumentException e) {
            throw CatalogException.invalidField("invalid-cron", "cron", e.getMessage());
        }
        Compression compression = SnapshotService.compression(r.compression());
        int level = SnapshotService.level(compression, r.compressionLevel());
        Retention policy = r.retention() == null ? null : r.retention().toRetention();
        String webhook = webhookUrl(r.webhookUrl());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.databases().size(); i++) {
            if (!seen.add(r.databases().get(i))) {
                throw CatalogException.invalidField("invalid-database-name", "databases[" + i + "]",
                        "'" + r.databases().get(i) + "' is listed twice");
            }
        }
        Server server = servers.get(r.serverId());
        for (int i = 0; i < r.databases().size(); i++) {
            try {
                ServerService.engine(server.type()).validateDatabaseName(r.databases().get(i));
            } catch (InvalidDatabaseNameException e) {
                throw CatalogException.invalidField("invalid-database-name", "databases[" + i + "]", e.getMessage());
            }
        }
        volumes.require(r.volumeId()); // may call storage-service
        boolean enabled = r.enabled() == null || r.enabled();
        boolean rearm = current == null || enabled && !current.enabled();
        Instant armedAt = rearm ? now : current.armedAt();
        Instant nextFireAt = enabled ? cron.next(now) : null;
        int grace = r.graceMinutes() != null ? r.graceMinutes() : properties.defaultGraceMinutes();
        return new Schedule(id, r.name().trim(), server.id(), List.copyOf(r.databases()), r.volumeId(),
                compression.wireName(), level, cron.expression(), zone.getId(), policy,
                Boolean.TRUE.equals(r.verify()), grace, webhook, enabled, nextFireAt,
                current == null ? null : current.lastFiredAt(), armedAt,
                current == null ? null : current.lastCompletedAt(), current == null ? null : current.lastFailedAt(),
                current == null ? ScheduleHealth.NEW : current.health(), current == null ? null : current.missedSince(),
                current == null ? null : current.missedDeadline(), current == null ? now : current.createdAt(), now,
                current == null ? 0 : current.version());
    }

    private static String webhookUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(raw.trim());
            String scheme = Objects.requireNonNullElse(uri.getScheme(), "").toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw CatalogException.invalidField("invalid-webhook-url", "webhookUrl", "must be an http or https URL");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw CatalogException.invalidField("invalid-webhook-url", "webhookUrl", "not a valid URL");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static CatalogException nameTaken(String name) {
        return CatalogException.conflict("schedule-name-taken", "Schedule name taken",
                "a schedule named '" + name + "' already exists");
    }
}
