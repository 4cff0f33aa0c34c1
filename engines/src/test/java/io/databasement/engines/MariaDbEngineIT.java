package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class MariaDbEngineIT {

    private final MariaDbEngine engine = new MariaDbEngine();

    @Test
    void probeReportsTheRealServerVersionAndProduct() throws Exception {
        ServerInfo info = engine.probe(LocalServers.mariadb(), null);

        assertThat(info.databaseType()).isEqualTo("mariadb");
        assertThat(info.version()).contains("MariaDB");
        assertThat(info.majorVersion()).isEqualTo(Integer.parseInt(info.version().split("\\.")[0]));
    }

    @Test
    void probeWithAWrongPasswordFailsWithTheServersReasonAndNeverEchoesThePassword() throws Exception {
        String user = "dbm_it_pw_" + UUID.randomUUID().toString().substring(0, 6);
        LocalServers.maria("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-Passw0rd'");
        try {
            Endpoint endpoint = new Endpoint("mariadb", LocalServers.MARIADB_HOST, LocalServers.MARIADB_PORT, user);
            assertThat(engine.probe(endpoint, "right-Passw0rd").databaseType()).isEqualTo("mariadb");

            assertThatThrownBy(() -> engine.probe(endpoint, "wrong-Passw0rd"))
                    .isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("Access denied for user '" + user + "'")
                    .message().doesNotContain("wrong-Passw0rd").doesNotContain("right-Passw0rd");
        } finally {
            LocalServers.maria("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    @Test
    void probeOfAClosedPortFailsFastWithAReason() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> engine.probe(new Endpoint("mariadb", "127.0.0.1", 1, "root"), "hunter2-secret"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("refused")
                .message().doesNotContain("hunter2-secret");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void dumpOfADatabaseWithAHostileNameContainsItsRowsAndEndsWithTheTrailer() throws Exception {
        String name = "dbm_it_engines_" + UUID.randomUUID().toString().substring(0, 6) + " a'b;\"c`d é";
        engine.validateDatabaseName(name);
        String db = LocalServers.mariaQuote(name);
        String user = "dbm_it_dump_" + UUID.randomUUID().toString().substring(0, 6);
        LocalServers.maria("CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".fruit(id int primary key, label varchar(50)) CHARACTER SET utf8mb4",
                "INSERT INTO " + db + ".fruit VALUES (1, 'apple'), (2, 'crème brûlée')",
                // a user with a password, so the dump proves MYSQL_PWD reaches the tool
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'dump-Passw0rd'",
                "GRANT ALL ON " + db + ".* TO '" + user + "'@'%'");
        try {
            Endpoint endpoint = new Endpoint("mariadb", LocalServers.MARIADB_HOST, LocalServers.MARIADB_PORT, user);
            ServerInfo server = engine.probe(endpoint, "dump-Passw0rd");
            ToolInvocation dump = engine.dump(endpoint, "dump-Passw0rd", name, server);

            LocalServers.Result result = LocalServers.run(dump);

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).contains("CREATE TABLE `fruit`").contains("crème brûlée").contains("apple")
                    .doesNotContain("CREATE DATABASE");
            assertThat(engine.isCompleteDumpEnding(result.lastSignificantLine(engine))).as(result.lastSignificantLine(engine)).isTrue();
        } finally {
            LocalServers.maria("DROP DATABASE IF EXISTS " + db, "DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    @Test
    void databaseExistsSeesExactlyTheDatabasesTheServerHas() throws Exception {
        String name = "dbm_it_engines_" + UUID.randomUUID().toString().substring(0, 6) + " Mixed`Case";
        assertThat(engine.databaseExists(LocalServers.mariadb(), null, name)).isFalse();
        LocalServers.maria("CREATE DATABASE " + LocalServers.mariaQuote(name));
        try {
            assertThat(engine.databaseExists(LocalServers.mariadb(), null, name)).isTrue();
            assertThat(engine.databaseExists(LocalServers.mariadb(), null, name.toLowerCase())).isFalse();
        } finally {
            LocalServers.maria("DROP DATABASE IF EXISTS " + LocalServers.mariaQuote(name));
        }
    }

    @Test
    void databaseExistsOnAClosedPortFailsWithAnEngineException() {
        assertThatThrownBy(() -> engine.databaseExists(new Endpoint("mariadb", "127.0.0.1", 1, "root"), "hunter2-secret", "x"))
                .isInstanceOf(EngineException.class)
                .message().doesNotContain("hunter2-secret");
    }
}
