package io.databasement.catalog.admission;

import io.databasement.catalog.CatalogProperties;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Job admission (ARCHITECTURE "Flows" 2): at most one dispatched job (backup or restore) per database and at
 * most {@code dbm.catalog.max-jobs-per-server} per server. Other jobs stay PENDING, in request order, and are
 * dispatched in the transaction that records the end of the job they waited for. The rule for one database is
 * also a partial unique index ({@code job_slots_one_active_per_database}).
 */
@Service
public class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    private final JdbcClient jdbc;
    private final ObjectProvider<JobHandler> handlers;
    private final int maxJobsPerServer;

    Admission(JdbcClient jdbc, ObjectProvider<JobHandler> handlers, CatalogProperties properties) {
        this.jdbc = jdbc;
        // a provider, not a list: the handlers' services depend on admission
        this.handlers = handlers;
        this.maxJobsPerServer = properties.catalog().maxJobsPerServer();
    }

    /** Records a new job and dispatches it at once if its database and server have room. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueue(UUID jobId, JobKind kind, UUID serverId, String database, Instant now) {
        jdbc.sql("insert into job_slots (job_id, kind, server_id, database_name, dispatched, created_at) values (?, ?, ?, ?, false, ?)")
                .params(jobId, kind.wire(), serverId, database, Timestamp.from(now))
                .update();
        dispatchReady(serverId, now);
    }

    /** The job ended (or will never run): frees its slot and dispatches what was waiting for it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void release(UUID jobId, Instant now) {
        jdbc.sql("delete from job_slots where job_id = ? returning server_id").param(jobId)
                .query(UUID.class).optional()
                .ifPresent(serverId -> dispatchReady(serverId, now));
    }

    public Optional<JobSlot> slot(UUID jobId) {
        return jdbc.sql("select job_id, kind, server_id, database_name, dispatched, created_at from job_slots where job_id = ?")
                .param(jobId).query(Admission::slot).optional();
    }

    /** Open jobs on a server, oldest first. */
    public List<JobSlot> slots(UUID serverId) {
        return jdbc.sql("select job_id, kind, server_id, database_name, dispatched, created_at from job_slots "
                        + "where server_id = ? order by created_at, job_id")
                .param(serverId).query(Admission::slot).list();
    }

    /** Whether the server has jobs that are not over (it must not be deleted under them). */
    public long openJobs(UUID serverId) {
        return jdbc.sql("select count(*) from job_slots where server_id = ?").param(serverId).query(Long.class).single();
    }

    /**
     * What a queued job waits for, in words a person can act on; empty once it is dispatched (or over).
     */
    public Optional<String> queuedBehind(UUID jobId) {
        Optional<JobSlot> mine = slot(jobId);
        if (mine.isEmpty() || mine.get().dispatched()) {
            return Optional.empty();
        }
        JobSlot me = mine.get();
        List<JobSlot> server = slots(me.serverId());
        Optional<JobSlot> sameDatabase = server.stream()
                .filter(s -> s.database().equals(me.database()) && !s.jobId().equals(me.jobId()))
                .filter(s -> s.dispatched() || s.createdAt().isBefore(me.createdAt()))
                .findFirst();
        if (sameDatabase.isPresent()) {
            JobSlot s = sameDatabase.get();
            return Optional.of(s.kind().wire() + " " + s.jobId() + " of database '" + s.database() + "'"
                    + (s.dispatched() ? "" : " (queued too)"));
        }
        long running = server.stream().filter(JobSlot::dispatched).count();
        return Optional.of(running + " running job(s) on the server (at most " + maxJobsPerServer + " at once)");
    }

    private void dispatchReady(UUID serverId, Instant now) {
        // one admission decision per server at a time, across replicas; released at commit
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 42))").param("dbm.admission." + serverId).query().listOfRows();
        List<JobSlot> slots = slots(serverId);
        Set<String> busy = new HashSet<>();
        slots.stream().filter(JobSlot::dispatched).forEach(s -> busy.add(s.database()));
        int active = busy.size();
        for (JobSlot slot : slots) {
            if (active >= maxJobsPerServer) {
                return;
            }
            if (slot.dispatched() || busy.contains(slot.database())) {
                // FIFO per database: a job waits for every earlier one of its database
                busy.add(slot.database());
                continue;
            }
            jdbc.sql("update job_slots set dispatched = true, dispatched_at = ? where job_id = ?")
                    .params(Timestamp.from(now), slot.jobId()).update();
            busy.add(slot.database());
            active++;
            handler(slot.kind()).dispatch(slot.jobId(), now);
            log.info("dispatched {} {} on database '{}' of server {}", slot.kind().wire(), slot.jobId(), slot.database(), serverId);
        }
    }

    public JobHandler handler(JobKind kind) {
        return handlers.orderedStream().filter(h -> h.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException("no handler for " + kind));
    }

    public List<JobHandler> handlers() {
        return handlers.orderedStream().toList();
    }

    private static JobSlot slot(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new JobSlot(rs.getObject(1, UUID.class), JobKind.fromWire(rs.getString(2)), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getBoolean(5), rs.getTimestamp(6).toInstant());
    }
}
