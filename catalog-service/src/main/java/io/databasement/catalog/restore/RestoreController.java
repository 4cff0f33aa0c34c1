package io.databasement.catalog.restore;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "restores", description = "Restores of a snapshot into a database, and verifications")
@RestController
@RequestMapping("/api/v1/restores")
class RestoreController {

    private final RestoreService service;

    RestoreController(RestoreService service) {
        this.service = service;
    }

    /** 202: the restore is accepted and PENDING (dispatched at once, or queued behind the job it waits for). */
    @Operation(operationId = "requestRestore", summary = "Restore a snapshot into a database",
            description = "The target is replaced only once the snapshot has been restored into a staging database "
                    + "and checked; until then it stays as it was. Accepted as PENDING.")
    @ApiResponse(responseCode = "202", description = "Accepted; Location names the restore", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a missing or invalid field (`invalid-request`, "
            + "`invalid-database-name`)")
    @ApiResponse(responseCode = "404", description = "Unknown snapshot or target server")
    @ApiResponse(responseCode = "409", description = "The target database exists and `confirmOverwrite` is not true "
            + "(`overwrite-not-confirmed`)")
    @ApiResponse(responseCode = "422", description = "Refused by the rules: snapshot not COMPLETED, engine families differ, "
            + "target server older (`snapshot-not-completed`, `engine-mismatch`, `target-version-older`)")
    @ApiResponse(responseCode = "503", description = "The target server cannot be reached (`target-unavailable`)")
    @PostMapping
    ResponseEntity<RestoreView> request(@RequestBody RestoreBody body,
                                        @Parameter(hidden = true) // set by the gateway from the caller's token
                                        @RequestHeader(name = "X-Requested-By", required = false) String requestedBy,
                                        @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
        RestoreOrder order = RestoreOrder.of(body.snapshotId(), body.targetServerId(), body.targetDatabase(),
                body.confirmOverwrite(), requestedBy, correlationId, RestoreOrder.REST);
        RestoreView view = service.request(order);
        return ResponseEntity.accepted().location(URI.create("/api/v1/restores/" + view.id())).body(view);
    }

    /** 202: CANCELLED at once if no worker had it, else IN_PROGRESS with {@code cancelRequestedAt} until its worker stops. */
    @Operation(operationId = "cancelRestore", summary = "Cancel a pending or running restore",
            description = "A queued restore is CANCELLED at once. A running one stays IN_PROGRESS, with `cancelRequestedAt`, "
                    + "while its worker kills the restore tool and drops the staging database; the target is never touched. "
                    + "Once the worker is swapping the restored copy in (`swapping`), the restore runs to its end. Asking "
                    + "again changes nothing.")
    @ApiResponse(responseCode = "202", description = "Cancelled, or being cancelled", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No restore with this id (`restore-not-found`)")
    @ApiResponse(responseCode = "409", description = "The restore already ended (`job-ended`), or its worker is swapping "
            + "the target and it can no longer be cancelled (`restore-swapping`)")
    @PostMapping("/{id}/cancel")
    ResponseEntity<RestoreView> cancel(@PathVariable UUID id,
                                       @Parameter(hidden = true) // set by the gateway from the caller's token
                                       @RequestHeader(name = "X-Requested-By", required = false) String requestedBy) {
        return ResponseEntity.accepted().body(service.cancel(id, requestedBy));
    }

    @Operation(operationId = "listRestores", summary = "List restores and verifications, newest first")
    @ApiResponse(responseCode = "200", description = "One page of restores", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Unknown status, page < 0 or size outside 1..200 (`invalid-request`)")
    @GetMapping
    RestorePage list(@RequestParam(required = false) UUID snapshotId, @RequestParam(required = false) UUID targetServerId,
                     @RequestParam(required = false) String targetDatabase,
                     @Parameter(example = "IN_PROGRESS") @RequestParam(required = false) String status,
                     @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return service.list(snapshotId, targetServerId, targetDatabase, status, page, size);
    }

    @Operation(operationId = "getRestore", summary = "Show one restore with its progress")
    @ApiResponse(responseCode = "200", description = "The restore", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No restore with this id (`restore-not-found`)")
    @GetMapping("/{id}")
    RestoreView get(@PathVariable UUID id) {
        return service.get(id);
    }
}
