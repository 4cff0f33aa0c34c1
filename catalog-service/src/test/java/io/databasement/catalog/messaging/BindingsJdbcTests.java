package io.databasement.catalog.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.contracts.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/** application.yml spells topic names (Spring binds no constants): they must be the contracts' names. */
class BindingsJdbcTests extends CatalogTestSupport {

    @Autowired
    Environment env;
    @Autowired
    JdbcClient jdbc;

    @Test
    void consumersListenOnTheContractTopicsAsTheCatalogGroup() {
        assertThat(env.getProperty("spring.cloud.stream.bindings.backupReports-in-0.destination")).isEqualTo(Topics.BACKUP_REPORTS);
        assertThat(env.getProperty("spring.cloud.stream.bindings.volumes-in-0.destination")).isEqualTo(Topics.VOLUMES);
        assertThat(env.getProperty("spring.cloud.stream.bindings.backupReports-in-0.group")).isEqualTo("catalog-service");
        assertThat(env.getProperty("spring.cloud.stream.kafka.bindings.backupReports-in-0.consumer.dlq-name"))
                .isEqualTo(Topics.deadLetter(Topics.BACKUP_REPORTS, "catalog-service"));
        assertThat(env.getProperty("spring.cloud.stream.kafka.bindings.volumes-in-0.consumer.dlq-name"))
                .isEqualTo(Topics.deadLetter(Topics.VOLUMES, "catalog-service"));
        assertThat(env.getProperty("spring.cloud.stream.bindings.restoreReports-in-0.destination")).isEqualTo(Topics.RESTORE_REPORTS);
        assertThat(env.getProperty("spring.cloud.stream.bindings.restoreRequests-in-0.destination")).isEqualTo(Topics.RESTORE_REQUESTS);
        assertThat(env.getProperty("spring.cloud.stream.bindings.restoreReports-in-0.group")).isEqualTo("catalog-service");
        assertThat(env.getProperty("spring.cloud.stream.bindings.restoreRequests-in-0.group")).isEqualTo("catalog-service");
        assertThat(env.getProperty("spring.cloud.stream.kafka.bindings.restoreReports-in-0.consumer.dlq-name"))
                .isEqualTo(Topics.deadLetter(Topics.RESTORE_REPORTS, "catalog-service"));
        assertThat(env.getProperty("spring.cloud.stream.kafka.bindings.restoreRequests-in-0.consumer.dlq-name"))
                .isEqualTo(Topics.deadLetter(Topics.RESTORE_REQUESTS, "catalog-service"));
        assertThat(env.getProperty("spring.cloud.stream.bindings.storageReports-in-0.destination")).isEqualTo(Topics.STORAGE_REPORTS);
        assertThat(env.getProperty("spring.cloud.stream.bindings.storageReports-in-0.group")).isEqualTo("catalog-service");
        assertThat(env.getProperty("spring.cloud.stream.kafka.bindings.storageReports-in-0.consumer.dlq-name"))
                .isEqualTo(Topics.deadLetter(Topics.STORAGE_REPORTS, "catalog-service"));
    }

    @Test
    void tablesLiveInTheCatalogSchema() {
        long tables = jdbc.sql("select count(*) from information_schema.tables where table_schema = 'catalog' "
                + "and table_name in ('servers', 'snapshots', 'volumes', 'processed_messages', 'event_publication', 'restores', 'job_slots')")
                .query(Long.class).single();
        assertThat(tables).isEqualTo(7);
    }
}
