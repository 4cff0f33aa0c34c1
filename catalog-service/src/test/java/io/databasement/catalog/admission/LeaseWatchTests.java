package io.databasement.catalog.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.catalog.CatalogProperties;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;

/** Silent attempts are judged only after Kafka, which carries the heartbeats, has been reachable for a lease. */
class LeaseWatchTests {

    static final Duration LEASE = Duration.ofSeconds(60);
    final Instant t0 = Instant.parse("2026-11-26T01:00:00Z");

    static CatalogProperties properties() {
        return new CatalogProperties("key", "token", java.net.URI.create("http://127.0.0.1:1"),
                new CatalogProperties.Catalog(LEASE, 1, Duration.ofDays(7), 2, 3, Duration.ofSeconds(10), "",
                        new CatalogProperties.StorageCallPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(1), 0.5, 50f, 20, 10,
                                Duration.ofSeconds(15), 3)));
    }

    @Test
    void aJustStartedCatalogWaitsALeaseBeforeItBlamesAnyWorker() {
        LeaseWatch watch = new LeaseWatch(null, new HeartbeatTrust(), properties(), Clock.systemUTC(), new KafkaAdmin(Map.of()), false);
        assertThat(watch.heartbeatsTrusted(t0)).as("heartbeats sent while it was down may still be on their way").isFalse();
        assertThat(watch.heartbeatsTrusted(t0.plusSeconds(59))).isFalse();
        assertThat(watch.heartbeatsTrusted(t0.plusSeconds(60))).isTrue();
    }

    @Test
    void anUnreachableKafkaProvesNothingAboutWorkers() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        KafkaAdmin nowhere = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closed));
        LeaseWatch watch = new LeaseWatch(null, new HeartbeatTrust(), properties(), Clock.systemUTC(), nowhere, true);
        try {
            assertThat(watch.heartbeatsTrusted(t0)).isFalse();
            assertThat(watch.heartbeatsTrusted(t0.plusSeconds(3600))).as("however long it has been").isFalse();
        } finally {
            watch.destroy();
        }
    }
}
