package io.databasement.catalog.snapshot;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "snapshots", description = "Backups of one database, their files, locks and verification")
@RestController
@RequestMapping("/api/v1/snapshots")
class SnapshotController {

    private final SnapshotService service;
    private final SnapshotDeletions deletions;

    SnapshotController(SnapshotService service, SnapshotDeletions deletions) {
        this.service = service;
        this.deletions = deletions;
    }

    /** 202: the snapshot is accepted and PENDING; a worker takes it from here. */
    @Operation(operationId = "requestSnapshot", summary = "Take a snapshot of a database",
            description = "Accepted as PENDING; it runs at once or waits (`queuedBehind`) for the job ahead of it "
                    + "on the same database or server. Follow it with GET or the event stream.")
    @ApiResponse(responseCode = "202", description = "Accepted; Location names the snapshot", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a missing field, an invalid database name, "
            + "compression or level")
    @ApiResponse(responseCode = "404", description = "Unknown server (`server-not-found`) or volume (`volume-not-found`)")
    @ApiResponse(responseCode = "503", description = "The volume could not be looked up in storage-service (`storage-unavailable`)")
    @PostMapping
    ResponseEntity<SnapshotView> request(@Valid @RequestBody SnapshotRequest request) {
        SnapshotView view = service.request(request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/snapshots/" + view.id())).body(view);
    }

    @Operation(operationId = "listSnapshots", summary = "List snapshots, newest first")
    @ApiResponse(responseCode = "200", description = "One page of snapshots", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Unknown status, page < 0 or size outside 1..200 (`invalid-request`)")
    @GetMapping
    SnapshotPage list(@RequestParam(required = false) UUID serverId, @RequestParam(required = false) String database,
                      @Parameter(example = "COMPLETED") @RequestParam(required = false) String status,
                      @RequestParam(required = false) UUID scheduleId, @RequestParam(required = false) UUID volumeId,
                      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return service.list(new SnapshotService.Filter(serverId, database, status, scheduleId, volumeId), page, size);
    }

    @Operation(operationId = "getSnapshot", summary = "Show one snapshot with every detail")
    @ApiResponse(responseCode = "200", description = "The snapshot", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No snapshot with this id (`snapshot-not-found`)")
    @GetMapping("/{id}")
    SnapshotView get(@PathVariable UUID id) {
        return service.get(id);
    }

    /** 202: DELETING until storage confirms the file is gone, then the snapshot is 404. */
    @Operation(operationId = "deleteSnapshot", summary = "Delete a snapshot and its file",
            description = "The snapshot is DELETING until storage confirms the file is gone; then it is 404.")
    @ApiResponse(responseCode = "202", description = "Deletion under way", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No snapshot with this id (`snapshot-not-found`)")
    @ApiResponse(responseCode = "409", description = "Running, locked, being restored or verified, or already deleting "
            + "(`snapshot-running`, `snapshot-locked`, `snapshot-in-use`, `snapshot-deleting`)")
    @DeleteMapping("/{id}")
    ResponseEntity<SnapshotView> delete(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(deletions.requestDeletion(id, SnapshotDeletions.BY_HAND));
    }

    /** 202: CANCELLED at once if no worker had it, else RUNNING with {@code cancelRequestedAt} until its worker stops. */
    @Operation(operationId = "cancelSnapshot", summary = "Cancel a pending or running snapshot",
            description = "A queued snapshot is CANCELLED at once. A running one stays RUNNING, with `cancelRequestedAt`, "
                    + "while its worker kills the dump tool and removes the partial upload; then it is CANCELLED (a worker "
                    + "that died meanwhile: once its lease runs out). Asking again changes nothing. A snapshot that completes "
                    + "or fails before its worker heard of the cancel keeps that status.")
    @ApiResponse(responseCode = "202", description = "Cancelled, or being cancelled", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No snapshot with this id (`snapshot-not-found`)")
    @ApiResponse(responseCode = "409", description = "The snapshot already ended: COMPLETED, FAILED, CANCELLED or DELETING "
            + "(`job-ended`)")
    @PostMapping("/{id}/cancel")
    ResponseEntity<SnapshotView> cancel(@PathVariable UUID id,
                                        @Parameter(hidden = true) // set by the gateway from the caller's token
                                        @RequestHeader(name = "X-Requested-By", required = false) String requestedBy) {
        return ResponseEntity.accepted().body(service.cancel(id, requestedBy));
    }

    @Operation(operationId = "lockSnapshot", summary = "Lock a snapshot", description = "Retention and DELETE leave it alone.")
    @ApiResponse(responseCode = "200", description = "Locked", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No snapshot with this id (`snapshot-not-found`)")
    @ApiResponse(responseCode = "409", description = "The snapshot is being deleted (`snapshot-deleting`)")
    @PostMapping("/{id}/lock")
    SnapshotView lock(@PathVariable UUID id) {
        return deletions.lock(id, true);
    }

    @Operation(operationId = "unlockSnapshot", summary = "Unlock a snapshot")
    @ApiResponse(responseCode = "200", description = "Unlocked", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No snapshot with this id (`snapshot-not-found`)")
    @PostMapping("/{id}/unlock")
    SnapshotView unlock(@PathVariable UUID id) {
        return deletions.lock(id, false);
    }
}
