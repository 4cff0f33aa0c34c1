package io.databasement.catalog.snapshot;

import io.databasement.contracts.TableMismatch;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A snapshot's last verification, as its view shows it.
 *
 * @param restoreId  the VERIFY restore that does it ({@code GET /api/v1/restores/{id}} shows its progress)
 * @param mismatches the tables whose restored rows or checksum differ from the dump's
 * @param error      why the scratch restore failed
 */
public record SnapshotVerificationView(VerificationStatus status, UUID restoreId, Instant verifiedAt, Long durationMs,
                                       String verifiedOn, Integer tablesCompared, Long rowsCompared,
                                       List<TableMismatch> mismatches, String error) {

    static SnapshotVerificationView of(Snapshot s) {
        if (s.verificationStatus() == null) {
            return null;
        }
        VerificationDetail d = VerificationDetail.fromJson(s.verificationDetail());
        return new SnapshotVerificationView(s.verificationStatus(), s.verificationRestoreId(), s.verifiedAt(),
                s.verificationDurationMs(), d == null ? null : d.verifiedOn(), d == null ? null : d.tablesCompared(),
                d == null ? null : d.rowsCompared(), d == null ? null : d.mismatches(), d == null ? null : d.error());
    }
}
