package io.databasement.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fallback used when no PostgreSQL answers: it must be a real server that keeps its data. */
class EmbeddedPostgresIT {

    @Test
    void embeddedPostgresKeepsItsDataAcrossARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        int port;
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0, false)) {
            port = pg.port();
            Databases.execute("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "",
                    "create table kept(v text)");
            Databases.execute("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "",
                    "insert into kept values ('still here')");
        }
        assertThat(Files.exists(data.resolve("PG_VERSION"))).isTrue();

        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0, false);
             var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres", "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("select v from kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }
}
