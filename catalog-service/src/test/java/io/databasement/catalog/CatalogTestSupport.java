package io.databasement.catalog;

import io.databasement.catalog.volume.Volume;
import io.databasement.catalog.volume.VolumeRepository;
import java.time.Instant;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.cloud.stream.binder.test.TestChannelBinderConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The application against a real PostgreSQL database, with Spring Cloud Stream's test binder instead of
 * Kafka (these tests are about REST and the database, not messaging) and the outbox relay switched off.
 * Every test class extending this shares one context.
 */
@SpringBootTest(properties = {
        "dbm.seal-key=" + CatalogTestSupport.SEAL_KEY,
        "dbm.service-token=" + CatalogTestSupport.TOKEN,
        "spring.modulith.events.externalization.enabled=false",
        "spring.kafka.admin.auto-create=false",
        "dbm.catalog.lease-watch-probes-kafka=false",
        // tests drive the lease watch and HeartbeatTrust themselves
        "dbm.catalog.lease-watch-interval=PT1H",
})
@AutoConfigureMockMvc
@Import(TestChannelBinderConfiguration.class)
public abstract class CatalogTestSupport {

    /** 32 bytes, base64: a test-only key. */
    public static final String SEAL_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public static final String TOKEN = "test-service-token";
    protected static final StubStorage STORAGE = new StubStorage(TOKEN);

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected VolumeRepository volumes;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", TestDatabase::password);
        registry.add("dbm.storage-url", STORAGE::url);
    }

    /** A volume the catalog already knows (as if it came over dbm.volumes). */
    protected Volume knownVolume() {
        UUID id = UUID.randomUUID();
        Volume volume = new Volume(id, "vol-" + id.toString().substring(0, 8), "s3", "s3://backups/team", Instant.now());
        volumes.upsert(volume);
        return volume;
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
