package io.databasement.catalog.restore;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "snapshots")
@RestController
class VerificationController {

    private final VerificationService verifications;

    VerificationController(VerificationService verifications) {
        this.verifications = verifications;
    }

    /**
     * 202: the snapshot's verification is accepted as a VERIFY restore (Location); the snapshot's
     * {@code verification} shows how it ends.
     */
    @Operation(operationId = "verifySnapshot", summary = "Verify a snapshot by restoring a scratch copy",
            description = "Restores the snapshot into a scratch database, compares row counts with the ones counted "
                    + "during the backup, then drops it. The snapshot's `verification` shows the outcome.")
    @ApiResponse(responseCode = "202", description = "Accepted as a VERIFY restore; Location names it", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No snapshot with this id (`snapshot-not-found`)")
    @ApiResponse(responseCode = "409", description = "A verification of this snapshot is under way "
            + "(`verification-under-way`, `scratch-database-exists`)")
    @ApiResponse(responseCode = "422", description = "Not COMPLETED, or no server to verify on "
            + "(`snapshot-not-completed`, `server-deleted`, `verification-server-unknown`)")
    @PostMapping("/api/v1/snapshots/{id}/verify")
    ResponseEntity<RestoreView> verify(@PathVariable UUID id, @RequestBody(required = false) VerifyBody body) {
        RestoreView view = verifications.request(id, body == null ? null : body.serverId());
        return ResponseEntity.accepted().location(URI.create("/api/v1/restores/" + view.id())).body(view);
    }

    /** @param serverId where to restore the scratch copy (optional) */
    @Schema(example = """
            {"serverId": "7d1c9f4e-2b8a-4e31-9c55-0f2a6b1d8e73"}""")
    record VerifyBody(UUID serverId) {
    }
}
