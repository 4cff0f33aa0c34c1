package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command lines built against fake client installs (small scripts that only answer --version). */
class DumpCommandLineTests {

    private static final String PASSWORD = "s3cr3t-P@ss";

    @TempDir
    Path clients;

    private Path fakeTool(String dir, String name, String versionLine) throws IOException {
        Path bin = Files.createDirectories(clients.resolve(dir).resolve("bin"));
        Path tool = bin.resolve(name);
        Files.writeString(tool, "#!/bin/sh\necho '" + versionLine + "'\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool;
    }

    private PostgresEngine postgresWithClients() {
        return new PostgresEngine(new PostgresEngine.Settings(List.of(clients + "/*/bin"), Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofSeconds(10)));
    }

    @Test
    void pgDumpIsTheNewestInstalledClientAndThePasswordIsOnlyInTheEnvironment() throws Exception {
        fakeTool("16", "pg_dump", "pg_dump (PostgreSQL) 16.4");
        Path newest = fakeTool("18", "pg_dump", "pg_dump (PostgreSQL) 18.1");
        Endpoint endpoint = new Endpoint("postgresql", "db.example", 5433, "backup");

        ToolInvocation dump = postgresWithClients().dump(endpoint, PASSWORD, "shop; DROP x", new ServerInfo("postgresql", "17.2", 17));

        assertThat(dump.command()).containsExactly(newest.toString(), "--no-owner", "--no-privileges", "--clean", "--if-exists",
                "--lock-wait-timeout=60s", "--format=plain", "--encoding=UTF8");
        assertThat(dump.command()).noneMatch(arg -> arg.contains(PASSWORD) || arg.contains("shop"));
        assertThat(dump.environment()).containsEntry("PGTZ", "UTC").containsEntry("PGOPTIONS", "-c bytea_output=hex").containsEntry("PGPASSWORD", PASSWORD).containsEntry("PGDATABASE", "shop; DROP x")
                .containsEntry("PGHOST", "db.example").containsEntry("PGPORT", "5433").containsEntry("PGUSER", "backup")
                .containsEntry("PGCONNECT_TIMEOUT", "10").containsEntry("PGAPPNAME", "databasement");
        assertThat(dump.toolVersion()).isEqualTo("pg_dump (PostgreSQL) 18.1");
        assertThat(dump.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void anOlderPgDumpThanTheServerIsRefusedWithWhatToInstall() throws Exception {
        fakeTool("15", "pg_dump", "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)");
        // PATH may hold a newer one on some machines: only look at our fake directory
        PostgresEngine engine = new PostgresEngine(new PostgresEngine.Settings(List.of(clients + "/*/bin"),
                Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10)));
        int newestOnPath = engine.newestPgDump(0).majorVersion();
        int serverMajor = Math.max(newestOnPath, 15) + 2;

        assertThatThrownBy(() -> engine.dump(new Endpoint("postgresql", "h", 5432, "u"), PASSWORD, "db",
                new ServerInfo("postgresql", serverMajor + ".1", serverMajor)))
                .isInstanceOf(EngineException.class)
                .hasMessage("pg_dump " + Math.max(newestOnPath, 15) + " cannot dump a PostgreSQL " + serverMajor
                        + " server: install postgresql-client-" + serverMajor + " or newer");
    }

    @Test
    void anEmptyDatabaseIsNeverDumpedBecauseLibpqWouldFallBackToTheUserName() {
        assertThatThrownBy(() -> postgresWithClients().dump(new Endpoint("postgresql", "h", 5432, "u"), null, "",
                new ServerInfo("postgresql", "15", 15))).hasMessageContaining("no database");
    }

    @Test
    void noPasswordMeansNoPasswordVariable() throws Exception {
        fakeTool("15", "pg_dump", "pg_dump (PostgreSQL) 15.20");
        ToolInvocation dump = postgresWithClients().dump(new Endpoint("postgresql", "h", 5432, "u"), null, "db",
                new ServerInfo("postgresql", "15.20", 15));
        assertThat(dump.environment()).doesNotContainKey("PGPASSWORD");
    }

    @Test
    void mariadbDumpTakesTheDatabaseLastAfterDoubleDashAndThePasswordFromMysqlPwd() throws Exception {
        Path tool = fakeTool("maria", "mariadb-dump", "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu");
        MariaDbEngine engine = new MariaDbEngine(new MariaDbEngine.Settings(List.of(tool.getParent().toString()),
                Duration.ofSeconds(5), Duration.ofSeconds(10)));

        ToolInvocation dump = engine.dump(new Endpoint("mariadb", "10.0.0.7", 3307, "root"), PASSWORD, "-odd name",
                new ServerInfo("mariadb", "10.11.19-MariaDB", 10));

        assertThat(dump.command()).containsExactly(tool.toString(), "--no-defaults", "--protocol=TCP", "--host=10.0.0.7",
                "--port=3307", "--user=root", "--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
                "--default-character-set=utf8mb4", "--", "-odd name");
        assertThat(dump.command()).doesNotContain("--databases").noneMatch(arg -> arg.contains(PASSWORD));
        assertThat(dump.environment()).containsExactlyEntriesOf(java.util.Map.of("MYSQL_PWD", PASSWORD));
        assertThat(dump.toolVersion()).startsWith("mariadb-dump");
    }

    @Test
    void trailersAreTheLinesEachToolEndsACompleteDumpWith() {
        assertThat(new PostgresEngine().dumpTrailer()).isEqualTo("-- PostgreSQL database dump complete");
        assertThat(new MariaDbEngine().dumpTrailer()).isEqualTo("-- Dump completed");
    }

    @Test
    void pgDumpsRestrictGuardAfterTheTrailerDoesNotHideIt() {
        PostgresEngine pg = new PostgresEngine();
        assertThat(pg.followsTrailer("\\unrestrict abc123")).isTrue();
        assertThat(pg.followsTrailer("--")).isTrue();
        assertThat(pg.followsTrailer("COPY public.t (a) FROM stdin;")).isFalse();
        assertThat(pg.isCompleteDumpEnding("-- PostgreSQL database dump complete")).isTrue();
        assertThat(pg.isCompleteDumpEnding("INSERT INTO t VALUES (1);")).isFalse();
        assertThat(new MariaDbEngine().isCompleteDumpEnding("-- Dump completed on 2026-11-25 17:21:07")).isTrue();
    }

    @Test
    void enginesAreFoundByServerType() {
        assertThat(Engines.forType("postgresql")).get().extracting(DatabaseEngine::family).isEqualTo("postgresql");
        assertThat(Engines.forType("mariadb")).get().extracting(DatabaseEngine::family).isEqualTo("mysql");
        assertThat(Engines.forType("mysql")).get().extracting(DatabaseEngine::family).isEqualTo("mysql");
        assertThat(Engines.forType("oracle")).isEmpty();
    }
}
