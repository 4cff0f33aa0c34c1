package io.databasement.catalog.schedule;

import io.databasement.catalog.snapshot.SnapshotPage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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

@Tag(name = "schedules", description = "Recurring snapshots (cron), their retention and missed-backup alerts")
@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleController {

    private final ScheduleService service;

    ScheduleController(ScheduleService service) {
        this.service = service;
    }

    @Operation(operationId = "createSchedule", summary = "Create a schedule")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Malformed JSON or an invalid field: cron, time zone, retention, "
            + "database name, webhook URL (listed in `errors`)")
    @ApiResponse(responseCode = "404", description = "Unknown server or volume")
    @ApiResponse(responseCode = "409", description = "A schedule with this name exists (`schedule-name-taken`)")
    @PostMapping
    ResponseEntity<ScheduleView> create(@Valid @RequestBody ScheduleRequest request) {
        Schedule schedule = service.create(request);
        return ResponseEntity.created(URI.create("/api/v1/schedules/" + schedule.id())).body(ScheduleView.of(schedule));
    }

    @Operation(operationId = "listSchedules", summary = "List schedules with their next run and health")
    @GetMapping
    List<ScheduleView> list() {
        return service.list().stream().map(ScheduleView::of).toList();
    }

    @Operation(operationId = "getSchedule", summary = "Show one schedule")
    @ApiResponse(responseCode = "200", description = "The schedule", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No schedule with this id (`schedule-not-found`)")
    @GetMapping("/{id}")
    ScheduleView get(@PathVariable UUID id) {
        return ScheduleView.of(service.get(id));
    }

    @Operation(operationId = "updateSchedule", summary = "Replace a schedule")
    @ApiResponse(responseCode = "200", description = "Replaced", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Malformed JSON or an invalid field: cron, time zone, retention, "
            + "database name, webhook URL (listed in `errors`)")
    @ApiResponse(responseCode = "404", description = "No schedule with this id (`schedule-not-found`)")
    @ApiResponse(responseCode = "409", description = "Another schedule has this name, or the schedule changed meanwhile "
            + "(`schedule-name-taken`, `schedule-changed`)")
    @PutMapping("/{id}")
    ScheduleView update(@PathVariable UUID id, @Valid @RequestBody ScheduleRequest request) {
        return ScheduleView.of(service.update(id, request));
    }

    /** 204; the schedule's snapshots stay. */
    @Operation(operationId = "deleteSchedule", summary = "Delete a schedule", description = "Its snapshots stay.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No schedule with this id (`schedule-not-found`)")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** 202 with the snapshots asked for; the next tick does not move. */
    @Operation(operationId = "runSchedule", summary = "Run a schedule now",
            description = "Asks for one snapshot per database; the next scheduled run stays where it was.")
    @ApiResponse(responseCode = "202", description = "The snapshots asked for", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No schedule with this id (`schedule-not-found`)")
    @PostMapping("/{id}/run")
    ResponseEntity<RunResult> run(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(new RunResult(id, service.run(id)));
    }

    @Operation(operationId = "previewScheduleRetention", summary = "What retention would keep and delete now")
    @ApiResponse(responseCode = "200", description = "Each snapshot with the rule that keeps it, or none", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No schedule with this id (`schedule-not-found`)")
    @GetMapping("/{id}/retention-preview")
    RetentionPreview retentionPreview(@PathVariable UUID id) {
        return service.retentionPreview(id);
    }

    @Operation(operationId = "listScheduleSnapshots", summary = "List the snapshots a schedule made, newest first")
    @ApiResponse(responseCode = "200", description = "One page of snapshots", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Unknown status, page < 0 or size outside 1..200 (`invalid-request`)")
    @ApiResponse(responseCode = "404", description = "No schedule with this id (`schedule-not-found`)")
    @GetMapping("/{id}/snapshots")
    SnapshotPage snapshots(@PathVariable UUID id, @RequestParam(required = false) String status,
                           @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return service.snapshots(id, status, page, size);
    }

    record RunResult(UUID scheduleId, List<UUID> snapshotIds) {
    }
}
