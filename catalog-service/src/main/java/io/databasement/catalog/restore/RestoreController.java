package io.databasement.catalog.restore;

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

@RestController
@RequestMapping("/api/v1/restores")
class RestoreController {

    private final RestoreService service;

    RestoreController(RestoreService service) {
        this.service = service;
    }

    /** 202: the restore is accepted and PENDING (dispatched at once, or queued behind the job it waits for). */
    @PostMapping
    ResponseEntity<RestoreView> request(@RequestBody RestoreBody body,
                                        @RequestHeader(name = "X-Requested-By", required = false) String requestedBy,
                                        @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
        RestoreOrder order = RestoreOrder.of(body.snapshotId(), body.targetServerId(), body.targetDatabase(),
                body.confirmOverwrite(), requestedBy, correlationId, RestoreOrder.REST);
        RestoreView view = service.request(order);
        return ResponseEntity.accepted().location(URI.create("/api/v1/restores/" + view.id())).body(view);
    }

    @GetMapping
    RestorePage list(@RequestParam(required = false) UUID snapshotId, @RequestParam(required = false) UUID targetServerId,
                     @RequestParam(required = false) String targetDatabase, @RequestParam(required = false) String status,
                     @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return service.list(snapshotId, targetServerId, targetDatabase, status, page, size);
    }

    @GetMapping("/{id}")
    RestoreView get(@PathVariable UUID id) {
        return service.get(id);
    }
}
