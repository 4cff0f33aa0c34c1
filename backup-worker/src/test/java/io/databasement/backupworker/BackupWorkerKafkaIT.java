package io.databasement.backupworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.luben.zstd.ZstdInputStream;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.ServerConnection;
import io.databasement.contracts.Topics;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker as deployed: a real Kafka broker (embedded KRaft), a real PostgreSQL database and real pg_dump;
 * the catalog and storage-service are collaborators played by a small HTTP server.
 */
@EmbeddedKafka
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "dbm.worker.progress-interval=200ms",
        "dbm.worker.part-size=5MB",
        "dbm.worker.claim-retry-for=2s",
        "dbm.worker.storage-calls.first-backoff=50ms",
        "dbm.worker.storage-calls.max-backoff=200ms",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.kafka=WARN",
        "logging.level.state.change.logger=WARN"})
class BackupWorkerKafkaIT {

    private static final String TOKEN = "test-service-token";
    private static final String SEAL_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final FakeInternalServices services;

    static {
        try {
            services = new FakeInternalServices(TOKEN);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void internalServices(DynamicPropertyRegistry registry) {
        registry.add("dbm.worker.service-token", () -> TOKEN);
        registry.add("dbm.worker.seal-key", () -> SEAL_KEY);
        registry.add("dbm.worker.storage-url", services::url);
        registry.add("dbm.worker.catalog-url", services::url);
    }

    @AfterAll
    static void stopServices() {
        services.close();
    }

    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    JsonMapper json;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private String database;
    private final List<ConsumerRecord<String, byte[]>> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createDatabase() throws Exception {
        database = LocalDatabases.uniqueName("");
        LocalDatabases.pg("postgres", "CREATE DATABASE " + database);
        LocalDatabases.pg(database, "CREATE TABLE invoice(id int primary key, total numeric(10,2), customer text)",
                "INSERT INTO invoice SELECT g, g * 1.5, 'customer ' || g FROM generate_series(1, 2000) g");
    }

    @AfterEach
    void dropDatabase() throws Exception {
        LocalDatabases.pg("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private BackupRequested command(UUID jobId) {
        return new BackupRequested(jobId, UUID.randomUUID(), "pg-local",
                new ServerConnection("postgresql", LocalDatabases.PG_HOST, LocalDatabases.PG_PORT, "postgres",
                        new SecretSealer(SEAL_KEY).seal("not-needed-here")),
                database, UUID.randomUUID(), "zstd", 3, Instant.now());
    }

    private org.springframework.kafka.support.SendResult<String, byte[]> send(BackupRequested command, String correlationId)
            throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.BACKUP_COMMANDS, command.jobId().toString(),
                json.writeValueAsBytes(command));
        CloudEvents.headers(MessageTypes.BACKUP_REQUESTED, "/catalog-service", command.jobId().toString(), correlationId)
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return kafka.send(record).get();
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker.getBrokersAsString(), "test-" + UUID.randomUUID(), false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private void collectReports(KafkaConsumer<String, byte[]> consumer, String jobId) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (jobId.equals(r.key())) {
                reports.add(r);
            }
        });
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper SCHEMA_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The catalog validates nothing we could get wrong unnoticed: every report must match its contract schema. */
    private static void assertMatchesItsSchema(ConsumerRecord<String, byte[]> report) throws Exception {
        var type = MessageTypes.byCeType(header(report, CloudEvents.TYPE)).orElseThrow();
        try (var schemaText = BackupWorkerKafkaIT.class.getClassLoader().getResourceAsStream(type.schemaPath())) {
            var schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                    .getSchema(schemaText);
            assertThat(schema.validate(SCHEMA_JSON.readTree(report.value())))
                    .as("%s: %s", type.ceType(), new String(report.value(), StandardCharsets.UTF_8)).isEmpty();
        }
    }

    private List<String> types() {
        List<String> types = new ArrayList<>();
        reports.forEach(r -> types.add(header(r, CloudEvents.TYPE)));
        return types;
    }

    @Test
    void aBackupCommandProducesStartedProgressAndCompletedReportsAndARedeliveryNeverDumpsAgain() throws Exception {
        UUID jobId = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.BACKUP_REPORTS)) {
            send(command(jobId), "corr-42");

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                collectReports(consumer, jobId.toString());
                return types().contains(MessageTypes.BACKUP_COMPLETED.ceType()) || types().contains(MessageTypes.BACKUP_FAILED.ceType());
            });

            List<String> types = types();
            assertThat(types.get(0)).isEqualTo(MessageTypes.BACKUP_STARTED.ceType());
            assertThat(types).contains(MessageTypes.BACKUP_PROGRESS.ceType());
            assertThat(types.get(types.size() - 1)).isEqualTo(MessageTypes.BACKUP_COMPLETED.ceType());
            for (ConsumerRecord<String, byte[]> r : reports) {
                assertThat(header(r, CloudEvents.SPEC_VERSION)).isEqualTo("1.0");
                assertThat(header(r, CloudEvents.SOURCE)).isEqualTo("/backup-worker");
                assertThat(header(r, CloudEvents.SUBJECT)).isEqualTo(jobId.toString());
                assertThat(header(r, CloudEvents.CORRELATION_ID)).isEqualTo("corr-42");
                assertThat(header(r, CloudEvents.ID)).isNotBlank();
                assertThat(r.topic()).isEqualTo(Topics.BACKUP_REPORTS);
                assertMatchesItsSchema(r);
            }
            assertThat(reports.stream().map(r -> header(r, CloudEvents.ID)).distinct()).hasSize(reports.size());

            BackupCompleted completed = json.readValue(reports.get(reports.size() - 1).value(), BackupCompleted.class);
            byte[] object = services.objects.get(completed.objectKey());
            assertThat(object).isNotNull();
            assertThat(completed.sizeBytes()).isEqualTo(object.length);
            assertThat(completed.sha256()).isEqualTo(InMemorySink.sha256(object));
            assertThat(completed.databaseType()).isEqualTo("postgresql");
            assertThat(completed.tables()).hasSize(1);
            assertThat(completed.tables().get(0).table()).isEqualTo("public.invoice");
            assertThat(completed.tables().get(0).rows()).isEqualTo(2000);
            String sql = new String(new ZstdInputStream(new ByteArrayInputStream(object)).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(completed.rawSizeBytes()).isEqualTo(sql.getBytes(StandardCharsets.UTF_8).length);
            assertThat(sql).contains("CREATE TABLE public.invoice").contains("customer 1999").contains("-- PostgreSQL database dump complete");

            // the same command again (a redelivery): the catalog refuses the new attempt, nothing is dumped
            int uploadsBefore = services.objects.size() + services.uploads.size();
            int reportsBefore = reports.size();
            var again = send(command(jobId), "corr-42").getRecordMetadata();
            TopicPartition tp = new TopicPartition(again.topic(), again.partition());
            await().atMost(Duration.ofSeconds(30)).until(() -> services.claims.stream().filter(jobId.toString()::equals).count() == 2);
            // acknowledged although refused: it is never delivered again
            await().atMost(Duration.ofSeconds(30)).until(() -> committed(tp) > again.offset());
            Thread.sleep(500);
            collectReports(consumer, jobId.toString());
            assertThat(reports).hasSize(reportsBefore);
            assertThat(services.objects.size() + services.uploads.size()).isEqualTo(uploadsBefore);
        }
    }

    @Test
    void aCommandThatIsNotJsonGoesToTheDeadLetterTopicWithTheReasonAndTheWorkerCarriesOn() throws Exception {
        String deadLetter = Topics.deadLetter(Topics.BACKUP_COMMANDS, "backup-worker");
        try (KafkaConsumer<String, byte[]> consumer = consumer(deadLetter)) {
            ProducerRecord<String, byte[]> poison = new ProducerRecord<>(Topics.BACKUP_COMMANDS, "poison-1",
                    "{not json".getBytes(StandardCharsets.UTF_8));
            poison.headers().add(CloudEvents.TYPE, MessageTypes.BACKUP_REQUESTED.ceType().getBytes(StandardCharsets.UTF_8));
            kafka.send(poison).get();

            List<ConsumerRecord<String, byte[]>> dead = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if ("poison-1".equals(r.key())) {
                        dead.add(r);
                    }
                });
                return !dead.isEmpty();
            });
            assertThat(header(dead.get(0), "dbm_error_reason")).startsWith("value is not a valid io.databasement.backup.requested.v1");
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        }
        // still consuming: a good command after the poison one is served
        UUID jobId = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.BACKUP_REPORTS)) {
            send(command(jobId), null);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                collectReports(consumer, jobId.toString());
                return types().contains(MessageTypes.BACKUP_COMPLETED.ceType());
            });
            assertThat(header(reports.get(0), CloudEvents.CORRELATION_ID)).isNull();
        }
    }

    @Test
    void storageUnavailableMidSnapshotIsWaitedOutAndTheRetriesAreCountedUnderStorage() throws Exception {
        double retriedBefore = retryCalls("successful_with_retry");
        services.partOutages.set(3);
        UUID jobId = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.BACKUP_REPORTS)) {
            send(command(jobId), "corr-503");

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                collectReports(consumer, jobId.toString());
                return types().contains(MessageTypes.BACKUP_COMPLETED.ceType()) || types().contains(MessageTypes.BACKUP_FAILED.ceType());
            });

            assertThat(types().get(types().size() - 1)).isEqualTo(MessageTypes.BACKUP_COMPLETED.ceType());
            assertThat(services.partOutages).hasValue(0);
            assertThat(retryCalls("successful_with_retry")).isGreaterThan(retriedBefore);
            assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "storage").tag("state", "closed").gauge().value())
                    .isEqualTo(1);
        }
    }

    private double retryCalls(String kind) {
        var counter = meters.find("resilience4j.retry.calls").tag("name", "storage").tag("kind", kind).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aCommandIsDeliveredAgainWhileTheCatalogIsDownAndRunsOnceItAnswers() throws Exception {
        // claim-retry-for is 2 s here: the first delivery gives up after a few 503s and seeks back
        services.claimOutages.set(4);
        UUID jobId = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.BACKUP_REPORTS)) {
            send(command(jobId), "corr-7");

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                collectReports(consumer, jobId.toString());
                return types().contains(MessageTypes.BACKUP_COMPLETED.ceType());
            });
            assertThat(services.claims.stream().filter(jobId.toString()::equals).count()).isGreaterThanOrEqualTo(5);
            assertThat(types().stream().filter(MessageTypes.BACKUP_STARTED.ceType()::equals)).hasSize(1);
        }
    }

    @Test
    void aWrongPasswordFailsTheBackupWithTheServersReasonAndThePasswordNowhere() throws Exception {
        String user = "dbm_it_bw_" + UUID.randomUUID().toString().substring(0, 6);
        LocalDatabases.maria("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'the-right-one'");
        UUID jobId = UUID.randomUUID();
        String wrong = "Wr0ng-pa55word";
        BackupRequested command = new BackupRequested(jobId, UUID.randomUUID(), "maria-local",
                new ServerConnection("mariadb", LocalDatabases.MARIADB_HOST, LocalDatabases.MARIADB_PORT, user,
                        new SecretSealer(SEAL_KEY).seal(wrong)),
                "mysql", UUID.randomUUID(), "gzip", 6, Instant.now());
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.BACKUP_REPORTS)) {
            send(command, "corr-9");

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                collectReports(consumer, jobId.toString());
                return types().contains(MessageTypes.BACKUP_FAILED.ceType());
            });

            assertThat(types()).containsExactly(MessageTypes.BACKUP_FAILED.ceType());
            assertMatchesItsSchema(reports.get(0));
            BackupFailed failed = json.readValue(reports.get(0).value(), BackupFailed.class);
            assertThat(failed.reason()).contains("Access denied for user '" + user + "'");
            assertThat(new String(reports.get(0).value(), StandardCharsets.UTF_8)).doesNotContain(wrong)
                    .doesNotContain(command.connection().sealedPassword());
        } finally {
            LocalDatabases.maria("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    private long committed(TopicPartition tp) throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("backup-worker").partitionsToOffsetAndMetadata().get().get(tp);
            return offset == null ? -1 : offset.offset();
        }
    }
}
