package io.databasement.catalog.snapshot;

import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

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
    @PostMapping
    ResponseEntity<SnapshotView> request(@Valid @RequestBody SnapshotRequest request) {
        SnapshotView view = service.request(request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/snapshots/" + view.id())).body(view);
    }

    @GetMapping
    SnapshotPage list(@RequestParam(required = false) UUID serverId, @RequestParam(required = false) String database,
                      @RequestParam(required = false) String status, @RequestParam(required = false) UUID scheduleId,
                      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return service.list(serverId, database, status, scheduleId, page, size);
    }

    @GetMapping("/{id}")
    SnapshotView get(@PathVariable UUID id) {
        return service.get(id);
    }

    /** 202: DELETING until storage confirms the file is gone, then the snapshot is 404. */
    @DeleteMapping("/{id}")
    ResponseEntity<SnapshotView> delete(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(deletions.requestDeletion(id, SnapshotDeletions.BY_HAND));
    }

    @PostMapping("/{id}/lock")
    SnapshotView lock(@PathVariable UUID id) {
        return deletions.lock(id, true);
    }

    @PostMapping("/{id}/unlock")
    SnapshotView unlock(@PathVariable UUID id) {
        return deletions.lock(id, false);
    }
}
