package io.databasement.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka broker (broker + controller in one JVM), RF 1.
 * Used in-process by tests (random ports, temp folder) and by {@link KafkaMain} for ./dbm
 * (fixed ports, persistent folder). The data folder is formatted once; a restart reuses it.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    public record Settings(Path dataDir, int port, int controllerPort, int partitions) {
        public Settings {
            if (port <= 0 || controllerPort <= 0 || port == controllerPort) {
                throw new IllegalArgumentException("need two distinct positive ports, got " + port + " and " + controllerPort);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1");
            }
        }
    }

    /** Starts a broker on two random free ports with a throw-away folder. */
    public static KafkaBroker startEphemeral(Path dataDir) {
        int port = Ports.freePort();
        int controllerPort = Ports.freePort(port);
        return start(new Settings(dataDir, port, controllerPort, 12));
    }

    public static KafkaBroker start(Settings settings) {
        QuietLogs.apply();
        try {
            Files.createDirectories(settings.dataDir());
            Path logDir = settings.dataDir().resolve("log");
            Properties props = serverProperties(settings, logDir);
            Path propsFile = settings.dataDir().resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(propsFile)) {
                props.store(out, "written by devstack KafkaBroker");
            }
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(propsFile);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + settings.port();
            KafkaBroker broker = new KafkaBroker(server, bootstrap);
            try {
                broker.awaitReady(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Kafka data folder " + settings.dataDir(), e);
        }
    }

    private static Properties serverProperties(Settings s, Path logDir) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + s.controllerPort()),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + s.port() + ",CONTROLLER://127.0.0.1:" + s.controllerPort()),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + s.port()),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
                Map.entry("num.partitions", Integer.toString(s.partitions())),
                Map.entry("default.replication.factor", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "12"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // a single node has nobody to wait for: the first consumer group starts at once
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "true")));
        return p;
    }

    /** Formats a new log folder (a restart reuses the folder and its cluster id). */
    private static void format(Path propsFile) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                    "format",
                    "-t", Uuid.randomUuid().toString(),
                    "-c", propsFile.toAbsolutePath().toString()}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the Kafka log folder failed: " + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(conf)) {
            RuntimeException last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = new IllegalStateException("Kafka broker at " + bootstrapServers + " not ready: " + e.getMessage(), e);
                }
                sleep(100);
            }
            throw last != null ? last : new IllegalStateException("Kafka broker at " + bootstrapServers + " not ready in " + timeout);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
