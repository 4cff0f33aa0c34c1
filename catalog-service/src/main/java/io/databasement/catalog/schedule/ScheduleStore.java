package io.databasement.catalog.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code schedules} table. Hand-written SQL rather than an aggregate repository: firing and alerting are
 * conditional updates ("only if nobody got there first"), and those decide between catalog replicas.
 */
@Repository
public class ScheduleStore {

    private static final String COLUMNS = "id, name, server_id, databases, volume_id, compression, compression_level, "
            + "cron, time_zone, retention, verify, grace_minutes, webhook_url, enabled, next_fire_at, last_fired_at, "
            + "armed_at, last_completed_at, last_failed_at, health, missed_since, missed_deadline, created_at, "
            + "updated_at, version";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ScheduleStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(Schedule s) {
        jdbc.sql("insert into schedules (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(s.id(), s.name(), s.serverId(), json.writeValueAsString(s.databases()), s.volumeId(),
                        s.compression(), s.compressionLevel(), s.cron(), s.timeZone(), retentionJson(s.retention()),
                        s.verify(), s.graceMinutes(), s.webhookUrl(), s.enabled(), ts(s.nextFireAt()), ts(s.lastFiredAt()),
                        ts(s.armedAt()), ts(s.lastCompletedAt()), ts(s.lastFailedAt()), s.health().name(),
                        ts(s.missedSince()), ts(s.missedDeadline()), ts(s.createdAt()), ts(s.updatedAt()), s.version())
                .update();
    }

    /**
     * A PUT: the configuration, and the tick and arming time when they were recomputed.
     *
     * @param retick whether {@code next_fire_at} and {@code armed_at} take the values in {@code s}
     * @param rearm  the schedule was just enabled again: its health starts over (NEW, no missed episode)
     * @return false if the schedule changed since {@code expectedVersion} was read (or is gone)
     */
    boolean update(Schedule s, int expectedVersion, boolean retick, boolean rearm) {
        return jdbc.sql("update schedules set name = ?, server_id = ?, databases = ?, volume_id = ?, compression = ?, "
                        + "compression_level = ?, cron = ?, time_zone = ?, retention = ?, verify = ?, grace_minutes = ?, "
                        + "webhook_url = ?, enabled = ?, updated_at = ?, version = version + 1, "
                        + "next_fire_at = case when ? then ? else next_fire_at end, "
                        + "armed_at = case when ? then ? else armed_at end, "
                        + "health = case when ? then 'NEW' else health end, "
                        + "missed_since = case when ? then null else missed_since end, "
                        + "missed_deadline = case when ? then null else missed_deadline end "
                        + "where id = ? and version = ?")
                .params(s.name(), s.serverId(), json.writeValueAsString(s.databases()), s.volumeId(), s.compression(),
                        s.compressionLevel(), s.cron(), s.timeZone(), retentionJson(s.retention()), s.verify(),
                        s.graceMinutes(), s.webhookUrl(), s.enabled(), ts(s.updatedAt()), retick, ts(s.nextFireAt()),
                        retick, ts(s.armedAt()), rearm, rearm, rearm, s.id(), expectedVersion)
                .update() == 1;
    }

    boolean delete(UUID id) {
        return jdbc.sql("delete from schedules where id = ?").param(id).update() == 1;
    }

    Optional<Schedule> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from schedules where id = ?").param(id).query(this::row).optional();
    }

    boolean nameTaken(String name) {
        return jdbc.sql("select count(*) from schedules where name = ?").param(name).query(Long.class).single() > 0;
    }

    List<Schedule> all() {
        return jdbc.sql("select " + COLUMNS + " from schedules order by name").query(this::row).list();
    }

    List<Schedule> enabled() {
        return jdbc.sql("select " + COLUMNS + " from schedules where enabled order by name").query(this::row).list();
    }

    List<Schedule> due(Instant now) {
        return jdbc.sql("select " + COLUMNS + " from schedules where enabled and next_fire_at <= ? order by next_fire_at")
                .param(ts(now)).query(this::row).list();
    }

    /**
     * Takes one tick of a due schedule. Every replica may try; the update counts for exactly one of them, since
     * the others' {@code next_fire_at = expected} no longer holds.
     *
     * @return whether this caller fires the tick
     */
    boolean claimTick(UUID id, Instant expected, Instant next) {
        return jdbc.sql("update schedules set next_fire_at = ?, last_fired_at = ? where id = ? and enabled and next_fire_at = ?")
                .params(ts(next), ts(expected), id, ts(expected)).update() == 1;
    }

    /**
     * Enters a missed episode, unless another replica did, or a snapshot completed since {@code lastCompletedSeen}.
     *
     * @return whether this caller raises the alert
     */
    boolean markMissed(UUID id, Instant lastCompletedSeen, Instant deadline, Instant now) {
        return jdbc.sql("update schedules set health = 'MISSED', missed_since = ?, missed_deadline = ? where id = ? "
                        + "and enabled and health <> 'MISSED' and last_completed_at is not distinct from ?")
                .params(ts(now), ts(deadline), id, ts(lastCompletedSeen)).update() == 1;
    }

    /** A manual run: recorded as fired, its next tick untouched. */
    void firedByHand(UUID id, Instant now) {
        jdbc.sql("update schedules set last_fired_at = ? where id = ?").params(ts(now), id).update();
    }

    /** A snapshot of the schedule completed: back to OK (the end of a missed episode). */
    void completed(UUID id, Instant completedAt) {
        jdbc.sql("update schedules set last_completed_at = greatest(coalesce(last_completed_at, ?), ?), health = 'OK', "
                        + "missed_since = null, missed_deadline = null where id = ?")
                .params(ts(completedAt), ts(completedAt), id).update();
    }

    /** A snapshot of the schedule failed: FAILING, unless it is MISSED (which only a completion ends). */
    void failed(UUID id, Instant failedAt) {
        jdbc.sql("update schedules set last_failed_at = greatest(coalesce(last_failed_at, ?), ?), "
                        + "health = case when health = 'MISSED' then 'MISSED' else 'FAILING' end where id = ?")
                .params(ts(failedAt), ts(failedAt), id).update();
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private String retentionJson(Retention retention) {
        return retention == null ? null : json.writeValueAsString(retention.toJson());
    }

    private Schedule row(ResultSet rs, int n) throws SQLException {
        String retention = rs.getString("retention");
        return new Schedule(rs.getObject("id", UUID.class), rs.getString("name"), rs.getObject("server_id", UUID.class),
                json.readValue(rs.getString("databases"), new TypeReference<List<String>>() { }),
                rs.getObject("volume_id", UUID.class), rs.getString("compression"), rs.getInt("compression_level"),
                rs.getString("cron"), rs.getString("time_zone"),
                retention == null ? null : json.readValue(retention, RetentionBody.class).toRetention(),
                rs.getBoolean("verify"), rs.getInt("grace_minutes"), rs.getString("webhook_url"), rs.getBoolean("enabled"),
                instant(rs, "next_fire_at"), instant(rs, "last_fired_at"), instant(rs, "armed_at"),
                instant(rs, "last_completed_at"), instant(rs, "last_failed_at"),
                ScheduleHealth.valueOf(rs.getString("health")), instant(rs, "missed_since"),
                instant(rs, "missed_deadline"), instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
