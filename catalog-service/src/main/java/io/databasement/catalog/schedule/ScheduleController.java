package io.databasement.catalog.schedule;

import io.databasement.catalog.snapshot.SnapshotPage;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleController {

    private final ScheduleService service;

    ScheduleController(ScheduleService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<ScheduleView> create(@Valid @RequestBody ScheduleRequest request) {
        Schedule schedule = service.create(request);
        return ResponseEntity.created(URI.create("/api/v1/schedules/" + schedule.id())).body(ScheduleView.of(schedule));
    }

    @GetMapping
    List<ScheduleView> list() {
        return service.list().stream().map(ScheduleView::of).toList();
    }

    @GetMapping("/{id}")
    ScheduleView get(@PathVariable UUID id) {
        return ScheduleView.of(service.get(id));
    }

    @PutMapping("/{id}")
    ScheduleView update(@PathVariable UUID id, @Valid @RequestBody ScheduleRequest request) {
        return ScheduleView.of(service.update(id, request));
    }

    /** 204; the schedule's snapshots stay. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** 202 with the snapshots asked for; the next tick does not move. */
    @PostMapping("/{id}/run")
    ResponseEntity<RunResult> run(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(new RunResult(id, service.run(id)));
    }

    @GetMapping("/{id}/retention-preview")
    RetentionPreview retentionPreview(@PathVariable UUID id) {
        return service.retentionPreview(id);
    }

    @GetMapping("/{id}/snapshots")
    SnapshotPage snapshots(@PathVariable UUID id, @RequestParam(required = false) String status,
                           @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return service.snapshots(id, status, page, size);
    }

    record RunResult(UUID scheduleId, List<UUID> snapshotIds) {
    }
}
