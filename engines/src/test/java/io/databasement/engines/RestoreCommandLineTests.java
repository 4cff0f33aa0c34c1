package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restore command lines (against fake client installs), staging names, version and error rules. */
class RestoreCommandLineTests {

    private static final String PASSWORD = "s3cr3t-P@ss";
    private static final UUID ATTEMPT = UUID.fromString("0a1b2c3d-0000-0000-0000-000000000000");

    @TempDir
    Path clients;

    private Path fakeTool(String dir, String name, String versionLine) throws IOException {
        Path bin = Files.createDirectories(clients.resolve(dir).resolve("bin"));
        Path tool = bin.resolve(name);
        Files.writeString(tool, "#!/bin/sh\necho '" + versionLine + "'\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool;
    }

    @Test
    void psqlIsTheNewestInstalledClientStopsAtTheFirstErrorAndGetsThePasswordOnlyFromTheEnvironment() throws Exception {
        fakeTool("15", "psql", "psql (PostgreSQL) 15.20");
        Path newest = fakeTool("17", "psql", "psql (PostgreSQL) 17.2");
        PostgresEngine engine = new PostgresEngine(new PostgresEngine.Settings(List.of(clients + "/*/bin"), Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofSeconds(10)));

        ToolInvocation restore = engine.restore(new Endpoint("postgresql", "db.example", 5433, "restorer"), PASSWORD,
                "dbm_rst_x; DROP", new ServerInfo("postgresql", "16.1", 16));

        assertThat(restore.command()).containsExactly(newest.toString(), "--no-psqlrc", "--quiet", "--no-password",
                "--set=ON_ERROR_STOP=1");
        assertThat(restore.environment()).containsEntry("PGPASSWORD", PASSWORD).containsEntry("PGDATABASE", "dbm_rst_x; DROP");
        assertThat(restore.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void theMariaDbClientReadsBinaryAndTakesTheDatabaseAfterTheEndOfOptions() throws Exception {
        Path client = fakeTool("m", "mariadb", "mariadb  Ver 15.1 Distrib 11.4.2-MariaDB");
        MariaDbEngine engine = new MariaDbEngine(new MariaDbEngine.Settings(List.of(clients + "/m/bin"), Duration.ofSeconds(5),
                Duration.ofSeconds(10)));

        ToolInvocation restore = engine.restore(new Endpoint("mariadb", "db.example", 3307, "root"), PASSWORD, "-staging",
                new ServerInfo("mariadb", "11.4.2-MariaDB", 11));

        assertThat(restore.command()).containsExactly(client.toString(), "--no-defaults", "--protocol=TCP", "--host=db.example",
                "--port=3307", "--user=root", "--batch", "--binary-mode", "--default-character-set=utf8mb4", "--", "-staging");
        assertThat(restore.environment()).containsExactly(java.util.Map.entry("MYSQL_PWD", PASSWORD));
    }

    @Test
    void stagingNamesFitTheServersLimitsWithoutCuttingACharacterInHalf() {
        String longTarget = "é".repeat(60);
        String pg = StagingNames.staging(longTarget, ATTEMPT, PostgresEngine.MAX_NAME_BYTES, Integer.MAX_VALUE);
        String maria = StagingNames.staging(longTarget, ATTEMPT, Integer.MAX_VALUE, MariaDbEngine.MAX_NAME_CHARS);

        assertThat(pg).startsWith("dbm_rst_0a1b2c3d_é");
        assertThat(pg.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(new String(pg.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(pg);
        assertThat(maria.codePointCount(0, maria.length())).isEqualTo(64);
        assertThat(StagingNames.old("shop", ATTEMPT, 63, 64)).isEqualTo("dbm_old_0a1b2c3d_shop");
        assertThatCode(() -> new PostgresEngine().validateDatabaseName(pg)).doesNotThrowAnyException();
        assertThatCode(() -> new MariaDbEngine().validateDatabaseName(maria)).doesNotThrowAnyException();
    }

    @Test
    void lockNamesOfLongDatabaseNamesAreHashedToMariaDbsLimit() {
        assertThat(MariaDbRestoreTarget.lockName("shop")).isEqualTo("dbm:restore:shop");
        String hashed = MariaDbRestoreTarget.lockName("x".repeat(64));
        assertThat(hashed).hasSizeLessThanOrEqualTo(64).startsWith("dbm:restore:#");
        assertThat(MariaDbRestoreTarget.lockName("x".repeat(64))).isEqualTo(hashed);
        assertThat(MariaDbRestoreTarget.lockName("y".repeat(64))).isNotEqualTo(hashed);
    }

    @Test
    void aRestoreIntoAnOlderMajorVersionIsRefusedAndOtherServerTypesAreNotCompared() {
        PostgresEngine pg = new PostgresEngine();
        assertThatThrownBy(() -> pg.checkRestorable("postgresql", "17.2", new ServerInfo("postgresql", "15.20", 15)))
                .hasMessage("the snapshot comes from postgresql 17.2 and cannot be restored into postgresql 15.20, an older major version");
        assertThatCode(() -> pg.checkRestorable("postgresql", "15.4", new ServerInfo("postgresql", "16.1", 16))).doesNotThrowAnyException();
        assertThatCode(() -> new MariaDbEngine().checkRestorable("mysql", "8.0.36", new ServerInfo("mariadb", "10.11.19-MariaDB", 10)))
                .doesNotThrowAnyException();
    }

    @Test
    void theReasonOfAFailedRestoreIsTheFirstErrorInTheToolsWords() {
        assertThat(new PostgresEngine().restoreFailureReason("psql:<stdin>:40: NOTICE:  x\npsql:<stdin>:41: ERROR:  syntax error at \"x\"\n"
                + "psql:<stdin>:90: ERROR:  later"))
                .isEqualTo("ERROR:  syntax error at \"x\"");
        assertThat(new MariaDbEngine().restoreFailureReason("ERROR 1064 (42000) at line 7: You have an error in your SQL syntax\n"))
                .isEqualTo("ERROR 1064 (42000) at line 7: You have an error in your SQL syntax");
        assertThat(new MariaDbEngine().restoreFailureReason("a\nb\nc\nd")).isEqualTo("b\nc\nd");
    }
}
