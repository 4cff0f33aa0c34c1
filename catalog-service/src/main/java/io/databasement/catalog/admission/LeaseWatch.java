package io.databasement.catalog.admission;

import io.databasement.catalog.CatalogProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finds attempts that went silent (ARCHITECTURE "Flows" 4). A worker that dies leaves its command unacked;
 * the replica Kafka hands it to is refused while the dead attempt's lease runs and drops it. So the catalog
 * re-sends the command once the lease is over and a backoff after it ({@code dbm.catalog.retry-backoff},
 * doubling with each loss), and fails the job after {@code dbm.catalog.max-attempts}.
 * <p>
 * Heartbeats reach the catalog through Kafka. While Kafka is out of reach, or before this catalog has been
 * reachable for a whole lease (it just started, or Kafka just came back), a silent attempt proves nothing: the
 * heartbeats may be waiting in the broker or the worker's buffer. So attempts are declared lost only once Kafka
 * has answered every look for at least one lease; {@link HeartbeatTrust} tells workers' claims the same. Safe on
 * every replica at once: each change is an optimistic-locked save.
 */
@Component
class LeaseWatch implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LeaseWatch.class);

    private final Admission admission;
    private final HeartbeatTrust trust;
    private final Duration lease;
    private final Clock clock;
    private final KafkaAdmin kafkaAdmin;
    private final boolean probeKafka;
    private Admin admin;
    /** Since when every look found Kafka reachable; null while it is not. */
    private Instant reachableSince;

    LeaseWatch(Admission admission, HeartbeatTrust trust, CatalogProperties properties, Clock clock, KafkaAdmin kafkaAdmin,
               @Value("${dbm.catalog.lease-watch-probes-kafka:true}") boolean probeKafka) {
        this.admission = admission;
        this.trust = trust;
        this.lease = properties.catalog().lease();
        this.clock = clock;
        this.kafkaAdmin = kafkaAdmin;
        this.probeKafka = probeKafka;
    }

    @Scheduled(initialDelayString = "${dbm.catalog.lease-watch-interval:PT5S}",
            fixedDelayString = "${dbm.catalog.lease-watch-interval:PT5S}")
    void expireLostAttempts() {
        boolean trusted = heartbeatsTrusted(clock.instant());
        trust.trusted(trusted);
        for (JobHandler handler : admission.handlers()) {
            if (trusted) {
                int changed = handler.expireLostAttempts();
                if (changed > 0) {
                    log.warn("lease watch: {} {} job(s) lost their attempt", changed, handler.kind().wire());
                }
            }
            // commands go through the outbox: they wait there while Kafka is away
            int resent = handler.sendDueRetries();
            if (resent > 0) {
                log.info("lease watch: {} {} command(s) sent again after their backoff", resent, handler.kind().wire());
            }
        }
    }

    /** Whether Kafka has been reachable for a whole lease, so a missing heartbeat means a missing worker. */
    synchronized boolean heartbeatsTrusted(Instant now) {
        if (!kafkaReachable()) {
            if (reachableSince != null) {
                log.warn("lease watch: Kafka is out of reach; no attempt is declared lost until it has been back for {}",
                        lease);
            }
            reachableSince = null;
            return false;
        }
        if (reachableSince == null) {
            reachableSince = now;
            log.info("lease watch: Kafka reachable; silent attempts are judged from {}", now.plus(lease));
        }
        return !now.isBefore(reachableSince.plus(lease));
    }

    private boolean kafkaReachable() {
        if (!probeKafka) {
            return true;
        }
        try {
            if (admin == null) {
                Map<String, Object> config = new java.util.HashMap<>(kafkaAdmin.getConfigurationProperties());
                config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
                config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
                config.put(AdminClientConfig.CLIENT_ID_CONFIG, "catalog-lease-watch");
                admin = Admin.create(config);
            }
            return !admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.debug("lease watch: Kafka not reachable: {}", e.toString());
            return false;
        }
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
