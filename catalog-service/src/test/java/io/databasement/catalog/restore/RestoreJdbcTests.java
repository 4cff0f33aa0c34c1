package io.databasement.catalog.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobStarted;
import io.databasement.contracts.RestoreMode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** Restores against the real catalog schema (Flyway) on a real PostgreSQL. */
class RestoreJdbcTests extends CatalogTestSupport {

    @Autowired
    RestoreRepository restores;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;

    final Instant t0 = Instant.parse("2026-11-25T16:00:00.123456Z");

    Restore newRestore() throws Exception {
        RestoreFixtures fx = new RestoreFixtures(mvc, jdbc, json);
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        return Restore.request(UUID.randomUUID(), snapshot, server, "srv", "it's \"odd\"", RestoreMode.CROSS_SERVER,
                true, "alice", "corr-1", t0);
    }

    @Test
    void aCompletedRestoreReadsBackWithEveryField() throws Exception {
        Restore r = newRestore();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, Duration.ofSeconds(60));
        r.started(new RestoreJobStarted(r.id(), a, "stage", "15.20", "psql", t0), t0);
        r.completed(new RestoreJobCompleted(r.id(), a, 42, 420, t0, t0.plusSeconds(2)), t0.plusSeconds(2));
        restores.save(r);

        Restore read = restores.findById(r.id()).orElseThrow();
        assertThat(read).usingRecursiveComparison().ignoringFields("version").isEqualTo(r);
        assertThat(read.mode()).isEqualTo(RestoreMode.CROSS_SERVER);
        assertThat(read.targetDatabase()).isEqualTo("it's \"odd\"");
    }

    @Test
    void concurrentClaimsOfOneRestoreDoNotBothWin() throws Exception {
        Restore saved = restores.save(newRestore());
        Restore first = restores.findById(saved.id()).orElseThrow();
        Restore second = restores.findById(saved.id()).orElseThrow();
        first.claim(UUID.randomUUID(), t0, Duration.ofSeconds(60));
        second.claim(UUID.randomUUID(), t0, Duration.ofSeconds(60));
        restores.save(first);
        assertThatThrownBy(() -> restores.save(second)).isInstanceOf(OptimisticLockingFailureException.class);
    }

    @Test
    void theSchemaRefusesAnUnknownStatusOrMode() throws Exception {
        Restore r = restores.save(newRestore());
        assertThatThrownBy(() -> jdbc.sql("update restores set status = 'RUNNING' where id = ?").param(r.id()).update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("update restores set mode = 'ELSEWHERE' where id = ?").param(r.id()).update())
                .isInstanceOf(DataIntegrityViolationException.class);
    }
}
