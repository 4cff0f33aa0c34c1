package io.databasement.backupworker.dump;

import static io.databasement.backupworker.LocalDatabases.mariaQuote;
import static io.databasement.backupworker.LocalDatabases.pgQuote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.github.luben.zstd.ZstdInputStream;
import io.databasement.backupworker.InMemorySink;
import io.databasement.backupworker.LocalDatabases;
import io.databasement.contracts.Compression;
import io.databasement.contracts.TableStats;
import io.databasement.worker.cancel.JobCancellation;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.Endpoint;
import io.databasement.engines.MariaDbEngine;
import io.databasement.engines.PostgresEngine;
import io.databasement.engines.ServerInfo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Real pg_dump and mariadb-dump of real small databases through the real pipeline into an in-memory storage. */
class RealDumpsIT {

    private static final int PART = 256 * 1024;
    private final InMemorySink sink = new InMemorySink();
    private final DumpStreamer streamer = new DumpStreamer(sink, new DumpStreamer.Settings(PART, 2));
    private DumpResult result;

    private String dumpAndRead(DatabaseEngine engine, Endpoint endpoint, String password, String database, Compression compression,
                               int level) throws Exception {
        ServerInfo server = engine.probe(endpoint, password);
        String uploadId = sink.begin(UUID.randomUUID(), "k");
        result = streamer.run(engine.dump(endpoint, password, database, server), engine, compression, level, uploadId,
                new StreamCounters(), password, JobCancellation.detached(UUID.randomUUID()));
        sink.complete(uploadId, result.parts(), result.sha256());
        byte[] stored = sink.uploads.get(uploadId).object;
        assertThat(result.sizeBytes()).isEqualTo(stored.length);
        assertThat(result.sha256()).isEqualTo(InMemorySink.sha256(stored));
        byte[] raw = switch (compression) {
            case ZSTD -> new ZstdInputStream(new ByteArrayInputStream(stored)).readAllBytes();
            case GZIP -> new GZIPInputStream(new ByteArrayInputStream(stored)).readAllBytes();
            case NONE -> stored;
        };
        assertThat(result.rawBytes()).isEqualTo(raw.length);
        return new String(raw, StandardCharsets.UTF_8);
    }

    @Test
    void aPostgresDatabaseIsStoredCompressedWithItsRowsAndTrailer() throws Exception {
        String name = LocalDatabases.uniqueName(" it's; \"odd\" é");
        LocalDatabases.pg("postgres", "CREATE DATABASE " + pgQuote(name));
        try {
            LocalDatabases.pg(name, "CREATE TABLE customer(id int primary key, name text, note text)",
                    "INSERT INTO customer SELECT g, 'customer ' || g, repeat(md5(g::text), 20) FROM generate_series(1, 3000) g",
                    "INSERT INTO customer VALUES (0, 'Zoë O''Brien', 'naïve café')");
            Endpoint endpoint = new Endpoint("postgresql", LocalDatabases.PG_HOST, LocalDatabases.PG_PORT, "postgres");

            String sql = dumpAndRead(new PostgresEngine(), endpoint, null, name, Compression.ZSTD, 3);

            assertThat(sql).contains("CREATE TABLE public.customer").contains("Zoë O'Brien\tnaïve café").contains("customer 2999")
                    .contains("-- PostgreSQL database dump complete");
            assertThat(sink.uploads.values().iterator().next().parts).hasSizeGreaterThanOrEqualTo(1);
            assertThat(result.tables()).extracting(TableStats::table, TableStats::rows).containsExactly(tuple("public.customer", 3001L));
        } finally {
            LocalDatabases.pg("postgres", "DROP DATABASE IF EXISTS " + pgQuote(name) + " WITH (FORCE)");
        }
    }

    @Test
    void aMariaDbDatabaseIsStoredCompressedWithItsRowsAndTrailerUsingAPasswordFromTheEnvironment() throws Exception {
        String name = LocalDatabases.uniqueName(" it's; `odd` é");
        String user = "dbm_it_bw_" + UUID.randomUUID().toString().substring(0, 6);
        String password = "Dump-Pa55;'\"$x";
        LocalDatabases.maria("CREATE DATABASE " + mariaQuote(name),
                "CREATE TABLE " + mariaQuote(name) + ".customer(id int primary key, name varchar(100)) CHARACTER SET utf8mb4",
                "INSERT INTO " + mariaQuote(name) + ".customer VALUES (1, 'Zoë O''Brien'), (2, 'naïve café')",
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password.replace("'", "''") + "'",
                "GRANT ALL ON " + mariaQuote(name) + ".* TO '" + user + "'@'%'");
        try {
            Endpoint endpoint = new Endpoint("mariadb", LocalDatabases.MARIADB_HOST, LocalDatabases.MARIADB_PORT, user);

            String sql = dumpAndRead(new MariaDbEngine(), endpoint, password, name, Compression.GZIP, 6);

            assertThat(sql).contains("CREATE TABLE `customer`").contains("Zoë O\\'Brien").contains("naïve café")
                    .contains("-- Dump completed");
            assertThat(result.tables()).extracting(TableStats::table, TableStats::rows).containsExactly(tuple("customer", 2L));
        } finally {
            LocalDatabases.maria("DROP DATABASE IF EXISTS " + mariaQuote(name), "DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    @Test
    void aDumpOfAMissingDatabaseFailsWithPgDumpsOwnWords() {
        Endpoint endpoint = new Endpoint("postgresql", LocalDatabases.PG_HOST, LocalDatabases.PG_PORT, "postgres");
        PostgresEngine engine = new PostgresEngine();

        assertThatThrownBy(() -> dumpAndRead(engine, endpoint, null, "dbm_it_backupworker_missing", Compression.ZSTD, 3))
                .isInstanceOf(DumpFailedException.class)
                .hasMessageContaining("pg_dump: error:")
                .hasMessageContaining("database \"dbm_it_backupworker_missing\" does not exist");
    }

    @Test
    void aWrongMariaDbPasswordFailsWithTheToolsWordsAndNoPassword() throws Exception {
        String user = "dbm_it_bw_" + UUID.randomUUID().toString().substring(0, 6);
        LocalDatabases.maria("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-one'");
        try {
            MariaDbEngine engine = new MariaDbEngine();
            Endpoint endpoint = new Endpoint("mariadb", LocalDatabases.MARIADB_HOST, LocalDatabases.MARIADB_PORT, user);
            ServerInfo server = engine.probe(endpoint, "right-one");
            // the password changes between probe and dump: the tool itself must say why it failed
            String uploadId = sink.begin(UUID.randomUUID(), "k");

            assertThatThrownBy(() -> streamer.run(engine.dump(endpoint, "wrong-one", "mysql", server), engine, Compression.ZSTD, 3,
                    uploadId, new StreamCounters(), "wrong-one", JobCancellation.detached(UUID.randomUUID())))
                    .isInstanceOf(DumpFailedException.class)
                    .hasMessageContaining("Access denied for user '" + user + "'")
                    .message().doesNotContain("wrong-one");
        } finally {
            LocalDatabases.maria("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }
}
