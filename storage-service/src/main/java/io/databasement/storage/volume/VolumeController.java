package io.databasement.storage.volume;

import io.databasement.storage.web.FieldViolation;
import io.databasement.storage.web.ProblemHandler.InvalidRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/volumes")
public class VolumeController {

    private final VolumeService volumes;

    public VolumeController(VolumeService volumes) {
        this.volumes = volumes;
    }

    @PostMapping
    public ResponseEntity<VolumeView> create(@Valid @RequestBody VolumeRequest request) {
        List<FieldViolation> errors = VolumeRequestRules.check(request);
        if (!errors.isEmpty()) {
            throw InvalidRequest.of(errors);
        }
        VolumeView created = volumes.create(request);
        return ResponseEntity.created(URI.create("/api/v1/volumes/" + created.id())).body(created);
    }

    @GetMapping
    public List<VolumeView> list() {
        return volumes.list();
    }

    @GetMapping("/{id}")
    public VolumeView get(@PathVariable UUID id) {
        return volumes.get(id);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable UUID id) {
        volumes.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/test")
    public VolumeTestResult test(@PathVariable UUID id) {
        return volumes.test(id);
    }
}
