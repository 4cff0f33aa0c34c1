package io.databasement.gateway.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The append-only audit trail in the gateway's schema. Blocking JDBC, so every call is wrapped to
 * run on {@code boundedElastic}; an entry with a {@code sourceId} already recorded (a redelivered
 * event) is skipped.
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Mono<Void> append(AuditEntry entry) {
        return Mono.fromRunnable(() -> appendNow(entry)).subscribeOn(Schedulers.boundedElastic()).then();
    }

    /** Blocking: for callers already off the event loop (a Kafka listener thread). */
    public void appendNow(AuditEntry e) {
        jdbc.sql("""
                insert into audit_entries (id, at, actor, actor_role, channel, action, target, outcome, status, detail,
                                           correlation_id, source_id)
                values (:id, :at, :actor, :role, :channel, :action, :target, :outcome, :status, :detail, :correlation,
                        :source)
                on conflict do nothing""")
                .param("id", e.id() != null ? e.id() : UUID.randomUUID())
                .param("at", Timestamp.from(e.at() != null ? e.at() : Instant.now()))
                .param("actor", e.actor())
                .param("role", e.actorRole())
                .param("channel", e.channel())
                .param("action", e.action())
                .param("target", e.target())
                .param("outcome", e.outcome())
                .param("status", e.status())
                .param("detail", e.detail())
                .param("correlation", e.correlationId())
                .param("source", e.sourceId())
                .update();
    }

    /** Newest first; every filter optional. */
    public Mono<List<AuditEntry>> find(AuditQuery query) {
        return Mono.fromCallable(() -> findNow(query)).subscribeOn(Schedulers.boundedElastic());
    }

    List<AuditEntry> findNow(AuditQuery q) {
        StringBuilder sql = new StringBuilder("select * from audit_entries where true");
        List<Object> args = new ArrayList<>();
        if (q.actor() != null) {
            sql.append(" and actor = ?");
            args.add(q.actor());
        }
        if (q.channel() != null) {
            sql.append(" and channel = ?");
            args.add(q.channel());
        }
        if (q.outcome() != null) {
            sql.append(" and outcome = ?");
            args.add(q.outcome());
        }
        if (q.correlationId() != null) {
            sql.append(" and correlation_id = ?");
            args.add(q.correlationId());
        }
        if (q.targetContains() != null) {
            sql.append(" and strpos(target, ?) > 0");
            args.add(q.targetContains());
        }
        if (q.since() != null) {
            sql.append(" and at >= ?");
            args.add(Timestamp.from(q.since()));
        }
        if (q.until() != null) {
            sql.append(" and at < ?");
            args.add(Timestamp.from(q.until()));
        }
        if (q.beforeSeq() != null) {
            sql.append(" and seq < ?");
            args.add(q.beforeSeq());
        }
        sql.append(" order by seq desc limit ?");
        args.add(q.limit());
        return jdbc.sql(sql.toString()).params(args).query((rs, n) -> new AuditEntry(
                rs.getObject("id", UUID.class), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                rs.getString("actor_role"), rs.getString("channel"), rs.getString("action"), rs.getString("target"),
                rs.getString("outcome"), (Integer) rs.getObject("status"), rs.getString("detail"),
                rs.getString("correlation_id"), rs.getString("source_id"))).list();
    }

    /** Filters of {@code GET /api/v1/audit}. */
    public record AuditQuery(String actor, String channel, String outcome, String correlationId, String targetContains,
                             Instant since, Instant until, Long beforeSeq, int limit) {
    }
}
