package io.databasement.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class InProcessInfrastructureIT {

    @Test
    void kafkaBrokerDeliversAProducedRecordWithItsHeadersToAConsumer() throws Exception {
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        String topic = "dbm.it.devstack." + UUID.randomUUID();

        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            var record = new ProducerRecord<>(topic, "job-1", "{\"snapshotId\":\"s1\"}");
            record.headers().add("ce_type", "io.databasement.backup.completed.v1".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }

        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "devstack-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            ConsumerRecord<String, String> received = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    received = r;
                }
            }
            assertThat(received).as("record consumed within 30 s").isNotNull();
            assertThat(received.key()).isEqualTo("job-1");
            assertThat(received.value()).isEqualTo("{\"snapshotId\":\"s1\"}");
            assertThat(new String(received.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                    .isEqualTo("io.databasement.backup.completed.v1");
            assertThat(consumer.partitionsFor(topic)).as("auto-created topics get 12 partitions").hasSize(12);
        }
    }

    @Test
    void s3EndpointStoresAndReturnsAnObjectInTheDatabasementBucket() throws Exception {
        TestInfrastructure.S3 s3 = TestInfrastructure.s3();
        byte[] content = "-- PostgreSQL database dump complete\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        String key = "srv/db/" + UUID.randomUUID() + ".sql";

        try (MinioClient client = MinioClient.builder().endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey()).build()) {
            client.putObject(PutObjectArgs.builder().bucket(s3.bucket()).object(key)
                    .stream(new ByteArrayInputStream(content), content.length, -1).build());
            try (var in = client.getObject(GetObjectArgs.builder().bucket(s3.bucket()).object(key).build())) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
        }
    }

    @Test
    void s3EndpointRejectsAWrongSecret() throws Exception {
        TestInfrastructure.S3 s3 = TestInfrastructure.s3();
        try (MinioClient client = MinioClient.builder().endpoint(s3.endpoint())
                .credentials(s3.accessKey(), "not-the-secret").build()) {
            assertThatThrownBy(() -> client.statObject(StatObjectArgs.builder().bucket(s3.bucket()).object("any").build()))
                    .isInstanceOf(ErrorResponseException.class)
                    .satisfies(e -> assertThat(((ErrorResponseException) e).response().code()).isEqualTo(403));
        }
    }

    @Test
    void postgresDatabaseCanBeCreatedUsedAndDropped() throws Exception {
        TestInfrastructure.Postgres pg = TestInfrastructure.postgres();
        String name = "dbm_it_devstack_" + System.nanoTime();
        TestInfrastructure.createPostgresDatabase(name);
        try {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(name), props(pg.user(), pg.password()));
                 Statement s = c.createStatement()) {
                s.execute("create table t(id int primary key, v text)");
                s.execute("insert into t select g, 'row ' || g from generate_series(1, 100) g");
                try (ResultSet rs = s.executeQuery("select count(*) from t")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(100);
                }
            }
        } finally {
            TestInfrastructure.dropPostgresDatabase(name);
        }
        assertThat(postgresDatabaseExists(pg, name)).isFalse();
    }

    @Test
    void databaseNamesWithQuotesAndSpacesAreQuotedNotInjected() throws Exception {
        TestInfrastructure.Postgres pg = TestInfrastructure.postgres();
        String name = "dbm_it_devstack \"x\"; drop " + System.nanoTime();
        TestInfrastructure.createPostgresDatabase(name);
        try {
            assertThat(postgresDatabaseExists(pg, name)).isTrue();
        } finally {
            TestInfrastructure.dropPostgresDatabase(name);
        }
        assertThat(postgresDatabaseExists(pg, name)).isFalse();
    }

    @Test
    void mariaDbDatabaseCanBeCreatedUsedAndDropped() throws Exception {
        TestInfrastructure.MariaDb db = TestInfrastructure.mariadb();
        String name = "dbm_it_devstack_`x`_" + System.nanoTime();
        TestInfrastructure.createMariaDbDatabase(name);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(""), props(db.user(), db.password()));
             Statement s = c.createStatement()) {
            s.execute("create table " + Databases.quoteMariaDb(name) + ".t(id int primary key)");
            s.execute("insert into " + Databases.quoteMariaDb(name) + ".t values (1), (2)");
            try (ResultSet rs = s.executeQuery("select count(*) from " + Databases.quoteMariaDb(name) + ".t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        } finally {
            TestInfrastructure.dropMariaDbDatabase(name);
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(""), props(db.user(), db.password()));
             var ps = c.prepareStatement("select count(*) from information_schema.schemata where schema_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    private static boolean postgresDatabaseExists(TestInfrastructure.Postgres pg, String name) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), props(pg.user(), pg.password()));
             var ps = c.prepareStatement("select count(*) from pg_database where datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static Properties props(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        return p;
    }
}
