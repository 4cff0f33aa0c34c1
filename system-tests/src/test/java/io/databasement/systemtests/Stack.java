package io.databasement.systemtests;

import io.databasement.devstack.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole system once per test run: real Kafka, S3 and PostgreSQL from devstack (or the URLs in the
 * environment), and storage-service, catalog-service, backup-worker and gateway as real processes.
 * Secrets are recognizable so tests can grep for leaks.
 */
final class Stack implements BeforeAllCallback {

    static final String SERVICE_TOKEN = "svc-token-" + UUID.randomUUID();
    /** The gateway's initial admin token (DBM_ADMIN_TOKEN); {@code Running.api()} sends it. */
    static final String ADMIN_TOKEN = "dbm_it-admin-" + UUID.randomUUID();
    static final String SEAL_KEY = randomKey();
    static final String STORAGE_SEAL_KEY = randomKey();
    /** storage-service's encryption key of id {@link #ENCRYPTION_KEY_ID}, for encrypted volumes. */
    static final String ENCRYPTION_KEY = randomKey();
    static final String ENCRYPTION_KEY_ID = "systest";

    private static Running running;

    /**
     * @param kafka the broker this stack started, which the fault suite may stop; null when the environment named
     *              one ({@code DBM_TEST_KAFKA_BOOTSTRAP})
     */
    record Running(Api api, String catalogDatabase, List<ServiceProcess> services, Path logDir,
                   Map<String, String> env, Map<String, Integer> ports, KafkaProcess kafka) {

        String kafkaBootstrapServers() {
            return env.get("DBM_KAFKA_BOOTSTRAP");
        }

        ServiceProcess service(String name) {
            return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        }

        /** Stops a single-replica service (SIGTERM), e.g. to take storage-service away for a while. */
        synchronized void stop(String name) {
            service(name).close();
        }

        /** Kills a single-replica service at once (SIGKILL): no shutdown hook, no graceful end of its jobs. */
        synchronized void kill(String name) {
            service(name).kill();
        }

        /** Starts a stopped service again on its port and waits until it is healthy. */
        synchronized ServiceProcess restart(String name) {
            return restart(name, Map.of());
        }

        /** Restarts a service with some of its environment changed (e.g. another encryption key). */
        synchronized ServiceProcess restart(String name, Map<String, String> changed) {
            ServiceProcess old = service(name);
            old.close();
            boolean restoreWorker = name.startsWith("restore-worker");
            Map<String, String> serviceEnv = new HashMap<>(restoreWorker ? restoreWorkerEnv(env) : env);
            serviceEnv.putAll(changed);
            ServiceProcess started = ServiceProcess.start(restoreWorker ? "restore-worker" : name, name, ports.get(name),
                    serviceEnv, logDir);
            services.set(services.indexOf(old), started);
            started.awaitHealthy(Duration.ofSeconds(150));
            return started;
        }
    }

    static synchronized Running get() {
        if (running == null) {
            running = start();
            Runtime.getRuntime().addShutdownHook(new Thread(Stack::stop));
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        get();
    }

    private static Running start() {
        Path logDir = Path.of("target", "system-logs");
        // services append to their log (a restarted one keeps its history): start from empty ones
        try (var old = java.nio.file.Files.list(java.nio.file.Files.createDirectories(logDir))) {
            for (Path log : old.toList()) {
                java.nio.file.Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a broker of its own (a process the fault suite may stop), unless the environment names one
        KafkaProcess kafkaProcess = System.getenv("DBM_TEST_KAFKA_BOOTSTRAP") != null ? null
                : KafkaProcess.start(tempFolder("dbm-sys-kafka-"), freePort(), freePort(), logDir);
        String kafka = kafkaProcess != null ? kafkaProcess.bootstrapServers() : TestInfrastructure.kafkaBootstrapServers();
        var pg = TestInfrastructure.postgres();
        String catalogDb = "dbm_it_sys_" + UUID.randomUUID().toString().substring(0, 8);
        createPostgresDatabase(catalogDb);
        String jdbc = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + catalogDb;

        Map<String, String> env = new HashMap<>();
        env.put("DBM_KAFKA_BOOTSTRAP", kafka);
        env.put("DBM_SERVICE_TOKEN", SERVICE_TOKEN);
        env.put("DBM_SEAL_KEY", SEAL_KEY);
        env.put("DBM_STORAGE_SEAL_KEY", STORAGE_SEAL_KEY);
        env.put("DBM_CATALOG_DB_URL", jdbc);
        env.put("DBM_CATALOG_DB_USER", pg.user());
        env.put("DBM_CATALOG_DB_PASSWORD", pg.password() == null ? "" : pg.password());
        env.put("DBM_STORAGE_DB_URL", jdbc);
        env.put("DBM_STORAGE_DB_USER", pg.user());
        env.put("DBM_STORAGE_DB_PASSWORD", pg.password() == null ? "" : pg.password());
        env.put("DBM_GATEWAY_DB_URL", jdbc);
        env.put("DBM_GATEWAY_DB_USER", pg.user());
        env.put("DBM_GATEWAY_DB_PASSWORD", pg.password() == null ? "" : pg.password());
        env.put("DBM_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("DBM_STORAGE_ENCRYPTION_KEYS_" + ENCRYPTION_KEY_ID.toUpperCase(), ENCRYPTION_KEY);
        int storagePort = freePort();
        int catalogPort = freePort();
        int workerPort = freePort();
        int restoreWorkerPort = freePort();
        int restoreWorker2Port = freePort();
        int gatewayPort = freePort();
        env.put("DBM_STORAGE_URL", "http://127.0.0.1:" + storagePort);
        // heartbeats come every 2 s: a 15 s lease finds a killed worker's job quickly
        env.put("DBM_CATALOG_LEASE", "15s");
        // a lost attempt is retried 5 s later (then 10 s), not 10 s (20 s) as by default
        env.put("DBM_CATALOG_RETRY_BACKOFF", "5s");
        env.put("DBM_CATALOG_URL", "http://127.0.0.1:" + catalogPort);
        // deletions: the sweep looks every second and re-sends after 2 s, 4 s, ...; presigned download URLs live
        // 5 s, so a test sees one expire
        env.put("DBM_CATALOG_DELETION_SWEEP_INTERVAL", "PT1S");
        env.put("DBM_CATALOG_DELETION_FIRST_RETRY", "2s");
        env.put("DBM_CATALOG_DELETION_MAX_RETRY", "10s");
        env.put("DBM_CATALOG_DOWNLOAD_URL_TTL", "5s");
        // schedules: due ticks are looked for every second, so two catalog replicas really race for each one
        env.put("DBM_SCHEDULES_POLL_INTERVAL", "PT1S");

        List<ServiceProcess> services = new ArrayList<>();
        services.add(ServiceProcess.start("storage-service", storagePort, env, logDir));
        services.add(ServiceProcess.start("catalog-service", catalogPort, env, logDir));
        services.add(ServiceProcess.start("backup-worker", workerPort, env, logDir));
        // two replicas: a test kills one mid-restore and the other must finish the job
        Map<String, String> workerEnv = restoreWorkerEnv(env);
        services.add(ServiceProcess.start("restore-worker", restoreWorkerPort, workerEnv, logDir));
        services.add(ServiceProcess.start("restore-worker", "restore-worker-2", restoreWorker2Port, workerEnv, logDir));
        services.add(ServiceProcess.start("gateway", gatewayPort, env, logDir));
        try {
            CompletableFuture.allOf(services.stream()
                    .map(s -> CompletableFuture.runAsync(() -> s.awaitHealthy(Duration.ofSeconds(300))))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            services.forEach(ServiceProcess::close);
            if (kafkaProcess != null) {
                kafkaProcess.close();
            }
            throw e;
        }
        Map<String, Integer> ports = Map.of("storage-service", storagePort, "catalog-service", catalogPort,
                "backup-worker", workerPort, "gateway", gatewayPort, "restore-worker", restoreWorkerPort,
                "restore-worker-2", restoreWorker2Port);
        return new Running(new Api("http://127.0.0.1:" + gatewayPort, ADMIN_TOKEN), catalogDb, services, logDir,
                Map.copyOf(env), ports, kafkaProcess);
    }

    private static Map<String, String> restoreWorkerEnv(Map<String, String> env) {
        Map<String, String> workerEnv = new HashMap<>(env);
        // a dead replica's partitions move on after 10 s instead of 45 s, so the test need not wait long
        workerEnv.put("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "10000");
        workerEnv.put("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "2000");
        return workerEnv;
    }

    private static synchronized void stop() {
        if (running != null) {
            List<ServiceProcess> services = new ArrayList<>(running.services());
            java.util.Collections.reverse(services);
            services.forEach(ServiceProcess::close);
            if (running.kafka() != null) {
                running.kafka().close();
            }
            dropPostgresDatabase(running.catalogDatabase());
            running = null;
        }
    }

    static Connection postgres(String database) throws SQLException {
        var pg = TestInfrastructure.postgres();
        return DriverManager.getConnection("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + database, pg.user(), pg.password());
    }

    static Connection mariadb(String database) throws SQLException {
        var db = TestInfrastructure.mariadb();
        return DriverManager.getConnection("jdbc:mariadb://" + db.host() + ":" + db.port() + "/" + database, db.user(), db.password());
    }

    static void createPostgresDatabase(String name) {
        pgAdmin("CREATE DATABASE " + pgQuote(name));
    }

    /**
     * A PostgreSQL database that is slow to restore, so a test can act in the middle of a restore: a CHECK that
     * sleeps 20 ms for every row restored (but not while it is filled here), on a table {@code slow} of that many rows.
     */
    static void createSlowToRestore(String name, int rows) {
        createSlowToRestore(name, rows, 0);
    }

    /**
     * The same, with {@code noteKib} KiB of incompressible text in every row's note, so the artifact is large and
     * its download lasts as long as the restore (the tool reads it no faster than it applies the rows).
     */
    static void createSlowToRestore(String name, int rows, int noteKib) {
        createPostgresDatabase(name);
        try (Connection c = postgres(name); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION slow_ok(i int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF coalesce(current_setting('dbm.fast', true), '') <> 'on' THEN PERFORM pg_sleep(0.02); END IF; RETURN true; END $$");
            s.execute("SET dbm.fast = 'on'");
            s.execute("CREATE TABLE slow (id int PRIMARY KEY CHECK (slow_ok(id)), note text)");
            s.execute("INSERT INTO slow SELECT g, 'row ' || g || (SELECT coalesce(string_agg(md5(g || '/' || i), ''), '') "
                    + "FROM generate_series(1, " + noteKib * 32 + ") i) FROM generate_series(1, " + rows + ") g");
        } catch (SQLException e) {
            throw new IllegalStateException("could not fill " + name + ": " + e.getMessage(), e);
        }
    }

    static void dropPostgresDatabase(String name) {
        pgAdmin("DROP DATABASE IF EXISTS " + pgQuote(name) + " WITH (FORCE)");
    }

    static void createMariaDbDatabase(String name) {
        mariaAdmin("CREATE DATABASE " + mariaQuote(name) + " CHARACTER SET utf8mb4");
    }

    static void dropMariaDbDatabase(String name) {
        mariaAdmin("DROP DATABASE IF EXISTS " + mariaQuote(name));
    }

    static void mariaAdmin(String sql) {
        try (Connection c = mariadb(""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pgQuote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String mariaQuote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    static void pgAdmin(String sql) {
        try (Connection c = postgres("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempFolder(String prefix) {
        try {
            return java.nio.file.Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
