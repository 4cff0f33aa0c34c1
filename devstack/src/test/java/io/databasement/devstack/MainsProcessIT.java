package io.databasement.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the mains the way ./dbm does (the packaged jar plus target/lib), on random ports: each
 * must print READY, serve, and stop cleanly on SIGTERM.
 */
class MainsProcessIT {

    private static final String CLASSPATH = "target/devstack-0.1.0-SNAPSHOT.jar" + File.pathSeparator + "target/lib/*";

    @Test
    void kafkaMainStartsABrokerOnTheRequestedPortsAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        int port = Ports.freePort();
        int controllerPort = Ports.freePort(port);
        Process process = start(Map.of(), "io.databasement.devstack.KafkaMain",
                "--data-dir=" + dir.resolve("kafka"), "--port=" + port, "--controller-port=" + controllerPort);
        try {
            String ready = awaitLine(process, "READY", Duration.ofSeconds(60));
            assertThat(ready).isEqualTo("READY kafka bootstrap=127.0.0.1:" + port);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
                admin.createTopics(List.of(new NewTopic("dbm.it.devstack.main", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("dbm.it.devstack.main");
            }
        } finally {
            assertStopsOnSigterm(process);
        }
    }

    @Test
    void s3MainServesTheBucketWithTheKeysFromTheEnvironment(@TempDir Path dir) throws Exception {
        int port = Ports.freePort();
        Process process = start(Map.of("DBM_S3_ACCESS_KEY", "it-access", "DBM_S3_SECRET_KEY", "it-secret-key"),
                "io.databasement.devstack.S3Main", "--data-dir=" + dir.resolve("s3"), "--port=" + port);
        try {
            String ready = awaitLine(process, "READY", Duration.ofSeconds(60));
            assertThat(ready).isEqualTo("READY s3 endpoint=http://127.0.0.1:" + port + " bucket=databasement");
            try (var client = io.minio.MinioClient.builder().endpoint("http://127.0.0.1:" + port)
                    .credentials("it-access", "it-secret-key").build()) {
                assertThat(client.bucketExists(io.minio.BucketExistsArgs.builder().bucket("databasement").build())).isTrue();
            }
            assertThat(dir.resolve("s3").resolve("databasement")).isDirectory();
        } finally {
            assertStopsOnSigterm(process);
        }
    }

    @Test
    void postgresMainServesAPostgreSqlThatAcceptsConnections(@TempDir Path dir) throws Exception {
        int port = Ports.freePort();
        Process process = start(Map.of(), "io.databasement.devstack.PostgresMain",
                "--data-dir=" + dir.resolve("pg"), "--port=" + port);
        try {
            String ready = awaitLine(process, "READY", Duration.ofSeconds(90));
            assertThat(ready).isEqualTo("READY postgres host=127.0.0.1 port=" + port + " user=postgres");
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                 var rs = c.createStatement().executeQuery("show server_version_num")) {
                assertThat(rs.next()).isTrue();
                assertThat(Integer.parseInt(rs.getString(1))).isGreaterThanOrEqualTo(140000);
            }
        } finally {
            assertStopsOnSigterm(process);
        }
    }

    private static Process start(Map<String, String> env, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", CLASSPATH, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return builder.start();
    }

    private final List<String> output = new ArrayList<>();
    private Thread drain;

    /** Reads the child's whole output on its own thread (so the child never blocks on a full pipe). */
    private String awaitLine(Process process, String prefix, Duration timeout) throws Exception {
        CompletableFuture<String> found = new CompletableFuture<>();
        drain = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith(prefix)) {
                        found.complete(line);
                    }
                }
            } catch (IOException e) {
                // the child is gone; what was read is in output
            } finally {
                found.complete(null);
            }
        }, "child-output");
        drain.setDaemon(true);
        drain.start();
        String line = found.get(timeout.toSeconds(), TimeUnit.SECONDS);
        synchronized (output) {
            assertThat(line).as("'%s' line; output:%n%s", prefix, String.join("\n", output)).isNotNull();
        }
        return line;
    }

    private void assertStopsOnSigterm(Process process) throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe
        process.toHandle().destroy();
        boolean exited = process.waitFor(20, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("exited within 20 s of SIGTERM").isTrue();
        drain.join(5_000);
        synchronized (output) {
            assertThat(output).as("output").contains("STOPPED");
        }
    }
}
