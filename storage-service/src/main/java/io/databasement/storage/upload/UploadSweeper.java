package io.databasement.storage.upload;

import io.databasement.storage.StorageProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Periodically abandons uploads left open longer than {@code dbm.storage.upload-expiry}. */
@Component
class UploadSweeper {

    private static final Logger log = LoggerFactory.getLogger(UploadSweeper.class);

    private final UploadService uploads;
    private final StorageProperties properties;
    private final Clock clock;

    UploadSweeper(UploadService uploads, StorageProperties properties, Clock clock) {
        this.uploads = uploads;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${dbm.storage.upload-sweep-interval:PT1H}", initialDelayString = "PT1M")
    void sweep() {
        int aborted = uploads.abortStale(clock.instant().minus(properties.uploadExpiry()));
        if (aborted > 0) {
            log.info("aborted {} upload(s) open longer than {}", aborted, properties.uploadExpiry());
        }
    }
}
