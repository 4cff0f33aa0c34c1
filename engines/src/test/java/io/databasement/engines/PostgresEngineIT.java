package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PostgresEngineIT {

    private final PostgresEngine engine = new PostgresEngine();

    @Test
    void probeReportsTheRealServerVersion() throws Exception {
        ServerInfo info = engine.probe(LocalServers.postgres(), null);

        assertThat(info.databaseType()).isEqualTo("postgresql");
        assertThat(info.version()).matches("\\d+\\.\\d+");
        assertThat(info.majorVersion()).isEqualTo(Integer.parseInt(info.version().split("\\.")[0]));
    }

    @Test
    void probeOfAClosedPortFailsFastWithTheDriversReasonAndNoPassword() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> engine.probe(new Endpoint("postgresql", "127.0.0.1", 1, "postgres"), "hunter2-secret"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("refused")
                .message().doesNotContain("hunter2-secret");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void probeOfAnUnknownUserSaysSoInTheServersWords() {
        // this server trusts every local user, so an unknown role is what can fail here
        assertThatThrownBy(() -> engine.probe(new Endpoint("postgresql", LocalServers.PG_HOST, LocalServers.PG_PORT,
                "dbm_it_nobody"), "hunter2-secret"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("dbm_it_nobody")
                .message().doesNotContain("hunter2-secret");
    }

    @Test
    void dumpOfADatabaseWithAHostileNameContainsItsRowsAndEndsWithTheTrailer() throws Exception {
        String name = "dbm_it_engines_" + UUID.randomUUID().toString().substring(0, 6) + " a'b;\"c=d é";
        engine.validateDatabaseName(name);
        LocalServers.pg("postgres", "CREATE DATABASE " + LocalServers.pgQuote(name));
        try {
            LocalServers.pg(name, "CREATE TABLE fruit(id int primary key, label text)",
                    "INSERT INTO fruit VALUES (1, 'apple'), (2, 'crème brûlée')");
            ServerInfo server = engine.probe(LocalServers.postgres(), null);

            LocalServers.Result result = LocalServers.run(engine.dump(LocalServers.postgres(), null, name, server));

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).contains("CREATE TABLE public.fruit").contains("crème brûlée").contains("apple");
            assertThat(engine.isCompleteDumpEnding(result.lastSignificantLine(engine))).as(result.lastSignificantLine(engine)).isTrue();
        } finally {
            LocalServers.pg("postgres", "DROP DATABASE IF EXISTS " + LocalServers.pgQuote(name) + " WITH (FORCE)");
        }
    }

    @Test
    void databaseExistsSeesExactlyTheDatabasesTheServerHas() throws Exception {
        String name = "dbm_it_engines_" + UUID.randomUUID().toString().substring(0, 6) + " Mixed\"Case";
        assertThat(engine.databaseExists(LocalServers.postgres(), null, name)).isFalse();
        LocalServers.pg("postgres", "CREATE DATABASE " + LocalServers.pgQuote(name));
        try {
            assertThat(engine.databaseExists(LocalServers.postgres(), null, name)).isTrue();
            assertThat(engine.databaseExists(LocalServers.postgres(), null, name.toLowerCase())).isFalse();
        } finally {
            LocalServers.pg("postgres", "DROP DATABASE IF EXISTS " + LocalServers.pgQuote(name) + " WITH (FORCE)");
        }
    }

    @Test
    void databaseExistsOnAClosedPortFailsWithAnEngineException() {
        assertThatThrownBy(() -> engine.databaseExists(new Endpoint("postgresql", "127.0.0.1", 1, "postgres"), "hunter2-secret", "x"))
                .isInstanceOf(EngineException.class)
                .message().doesNotContain("hunter2-secret");
    }
}
