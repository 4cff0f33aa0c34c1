package io.databasement.devstack;

/**
 * Standalone embedded PostgreSQL for ./dbm when no PostgreSQL answers. Arguments (or environment):
 * {@code --data-dir} ({@code DBM_PG_DATA_DIR}, default {@code .dbm/data/postgres}), {@code --port}
 * ({@code DBM_PG_PORT}, 5433). The cluster survives restarts.
 * Prints {@code READY postgres host=127.0.0.1 port=<port> user=postgres}.
 */
public final class PostgresMain {

    private PostgresMain() {
    }

    public static void main(String[] argv) throws InterruptedException {
        MainSupport.configureLogging();
        EmbeddedPostgresServer server = null;
        try {
            MainSupport args = new MainSupport(argv);
            server = EmbeddedPostgresServer.start(
                    args.getPath("data-dir", "DBM_PG_DATA_DIR", ".dbm/data/postgres"),
                    args.getInt("port", "DBM_PG_PORT", 5433), false);
        } catch (RuntimeException e) {
            MainSupport.fail("PostgreSQL", e);
        }
        MainSupport.readyAndWait("postgres host=127.0.0.1 port=" + server.port() + " user=" + EmbeddedPostgresServer.USER, server);
    }
}
