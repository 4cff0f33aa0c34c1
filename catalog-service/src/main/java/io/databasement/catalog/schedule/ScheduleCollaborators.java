package io.databasement.catalog.schedule;

import io.databasement.catalog.restore.VerificationService;
import io.databasement.catalog.snapshot.SnapshotDeletions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What schedules ask of the rest of the catalog, wired to the code that does it: retention deletes the way
 * {@code DELETE /api/v1/snapshots/{id}} does, and a verifying schedule verifies the way
 * {@code POST /api/v1/snapshots/{id}/verify} does (a refusal lands on the snapshot as a failed verification).
 */
@Configuration(proxyBeanMethods = false)
class ScheduleCollaborators {

    @Bean
    SnapshotDeleter snapshotDeleter(SnapshotDeletions deletions) {
        return (snapshotId, reason) -> deletions.requestDeletion(snapshotId, reason);
    }

    @Bean
    SnapshotVerifier snapshotVerifier(VerificationService verifications) {
        return verifications::requestQuietly;
    }
}
