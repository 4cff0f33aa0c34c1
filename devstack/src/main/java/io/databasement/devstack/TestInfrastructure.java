package io.databasement.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Real infrastructure for integration tests, one instance per JVM, started on first use and
 * stopped by a shutdown hook. Each piece is taken from the environment when CI (or
 * {@code ./dbm infra-up}) already runs it, otherwise started in-process:
 *
 * <ul>
 *   <li>Kafka: {@code DBM_TEST_KAFKA_BOOTSTRAP}, else an in-process KRaft broker (~3 s);</li>
 *   <li>S3: {@code DBM_TEST_S3_ENDPOINT}/{@code _ACCESS_KEY}/{@code _SECRET_KEY}, else an in-process
 *       S3Proxy (~1 s); the bucket {@value #BUCKET} exists either way;</li>
 *   <li>PostgreSQL: {@code DBM_TEST_PG_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}, else
 *       127.0.0.1:5432 if it answers, else an embedded PostgreSQL;</li>
 *   <li>MariaDB: {@code DBM_TEST_MARIADB_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}, default
 *       127.0.0.1:3306 root without password (there is no embedded fallback).</li>
 * </ul>
 */
public final class TestInfrastructure {

    public static final String BUCKET = "databasement";

    private static final Map<String, String> ENV = System.getenv();
    private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();
    private static Path workDir;

    private static volatile String kafka;
    private static volatile S3 s3;
    private static volatile Postgres postgres;
    private static volatile MariaDb mariadb;

    private TestInfrastructure() {
    }

    public record S3(String endpoint, String accessKey, String secretKey, String bucket) {
        @Override
        public String toString() {
            // never print the secret, even in a test report
            return "S3[endpoint=" + endpoint + ", accessKey=" + accessKey + ", bucket=" + bucket + "]";
        }
    }

    public record Postgres(String host, int port, String user, String password) {
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        @Override
        public String toString() {
            return "Postgres[" + user + "@" + host + ":" + port + "]";
        }
    }

    public record MariaDb(String host, int port, String user, String password) {
        public String jdbcUrl(String database) {
            return "jdbc:mariadb://" + host + ":" + port + "/" + database;
        }

        @Override
        public String toString() {
            return "MariaDb[" + user + "@" + host + ":" + port + "]";
        }
    }

    /** {@code host:port} of a running Kafka broker with auto-created topics of 12 partitions. */
    public static String kafkaBootstrapServers() {
        String value = kafka;
        if (value == null) {
            synchronized (TestInfrastructure.class) {
                if (kafka == null) {
                    kafka = env("DBM_TEST_KAFKA_BOOTSTRAP").orElseGet(() ->
                            started(KafkaBroker.startEphemeral(folder("kafka"))).bootstrapServers());
                }
                value = kafka;
            }
        }
        return value;
    }

    public static S3 s3() {
        S3 value = s3;
        if (value == null) {
            synchronized (TestInfrastructure.class) {
                if (s3 == null) {
                    s3 = env("DBM_TEST_S3_ENDPOINT")
                            .map(endpoint -> new S3(endpoint,
                                    env("DBM_TEST_S3_ACCESS_KEY").orElse("local-access"),
                                    env("DBM_TEST_S3_SECRET_KEY").orElse("local-secret-key"), BUCKET))
                            .orElseGet(TestInfrastructure::startS3);
                }
                value = s3;
            }
        }
        return value;
    }

    public static Postgres postgres() {
        Postgres value = postgres;
        if (value == null) {
            synchronized (TestInfrastructure.class) {
                if (postgres == null) {
                    postgres = resolvePostgres();
                }
                value = postgres;
            }
        }
        return value;
    }

    public static MariaDb mariadb() {
        MariaDb value = mariadb;
        if (value == null) {
            synchronized (TestInfrastructure.class) {
                if (mariadb == null) {
                    mariadb = new MariaDb(
                            env("DBM_TEST_MARIADB_HOST").orElse("127.0.0.1"),
                            Integer.parseInt(env("DBM_TEST_MARIADB_PORT").orElse("3306")),
                            env("DBM_TEST_MARIADB_USER").orElse("root"),
                            env("DBM_TEST_MARIADB_PASSWORD").orElse(""));
                }
                value = mariadb;
            }
        }
        return value;
    }

    /** Creates a PostgreSQL database (UTF8, from template0); use a unique name such as {@code dbm_it_<module>_...}. */
    public static void createPostgresDatabase(String name) {
        Postgres pg = postgres();
        Databases.execute(pg.jdbcUrl("postgres"), pg.user(), pg.password(),
                "CREATE DATABASE " + Databases.quotePostgres(name) + " TEMPLATE template0 ENCODING 'UTF8'");
    }

    /** Drops the database if it exists, ending any session still connected to it. */
    public static void dropPostgresDatabase(String name) {
        Postgres pg = postgres();
        Databases.execute(pg.jdbcUrl("postgres"), pg.user(), pg.password(),
                "DROP DATABASE IF EXISTS " + Databases.quotePostgres(name) + " WITH (FORCE)");
    }

    public static void createMariaDbDatabase(String name) {
        MariaDb db = mariadb();
        Databases.execute(db.jdbcUrl(""), db.user(), db.password(),
                "CREATE DATABASE " + Databases.quoteMariaDb(name) + " CHARACTER SET utf8mb4");
    }

    public static void dropMariaDbDatabase(String name) {
        MariaDb db = mariadb();
        Databases.execute(db.jdbcUrl(""), db.user(), db.password(),
                "DROP DATABASE IF EXISTS " + Databases.quoteMariaDb(name));
    }

    private static S3 startS3() {
        S3Server server = started(S3Server.start(
                new S3Server.Settings(folder("s3"), 0, "local-access", "local-secret-key", BUCKET)));
        return new S3(server.endpoint(), "local-access", "local-secret-key", BUCKET);
    }

    private static Postgres resolvePostgres() {
        String user = env("DBM_TEST_PG_USER").orElse("postgres");
        String password = env("DBM_TEST_PG_PASSWORD").orElse("");
        if (env("DBM_TEST_PG_HOST").isPresent() || env("DBM_TEST_PG_PORT").isPresent()) {
            return new Postgres(env("DBM_TEST_PG_HOST").orElse("127.0.0.1"),
                    Integer.parseInt(env("DBM_TEST_PG_PORT").orElse("5432")), user, password);
        }
        Postgres local = new Postgres("127.0.0.1", 5432, user, password);
        if (Ports.answers(local.host(), local.port(), 1_000)
                && Databases.canConnect(local.jdbcUrl("postgres"), user, password)) {
            return local;
        }
        EmbeddedPostgresServer embedded = started(EmbeddedPostgresServer.start(folder("postgres").resolve("data"), 0, true));
        return new Postgres("127.0.0.1", embedded.port(), EmbeddedPostgresServer.USER, "");
    }

    private static java.util.Optional<String> env(String name) {
        return java.util.Optional.ofNullable(ENV.get(name)).filter(v -> !v.isBlank());
    }

    private static <T extends AutoCloseable> T started(T resource) {
        synchronized (STARTED) {
            if (STARTED.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::stopAll, "devstack-shutdown"));
            }
            STARTED.push(resource);
        }
        return resource;
    }

    private static synchronized Path folder(String name) {
        try {
            if (workDir == null) {
                workDir = Files.createTempDirectory("dbm-devstack-");
            }
            return Files.createDirectories(workDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp folder for " + name, e);
        }
    }

    private static void stopAll() {
        synchronized (STARTED) {
            while (!STARTED.isEmpty()) {
                AutoCloseable resource = STARTED.pop();
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("devstack: stopping " + resource + " failed: " + e.getMessage());
                }
            }
        }
        if (workDir != null) {
            deleteQuietly(workDir);
        }
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("devstack: could not delete " + root + ": " + e.getMessage());
        }
    }

}
