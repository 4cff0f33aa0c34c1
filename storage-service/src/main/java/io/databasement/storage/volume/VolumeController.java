package io.databasement.storage.volume;

import io.databasement.storage.web.FieldViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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

@Tag(name = "volumes", description = "Where snapshot files are kept: S3 buckets or local folders; secrets are never shown")
@RestController
@RequestMapping("/api/v1/volumes")
public class VolumeController {

    private final VolumeService volumes;

    public VolumeController(VolumeService volumes) {
        this.volumes = volumes;
    }

    @Operation(operationId = "createVolume", summary = "Add a volume",
            description = "A local folder is created if missing and must accept a probe file. With `encryptionKeyId` (a key "
                    + "configured as `DBM_STORAGE_ENCRYPTION_KEYS_<ID>`) the volume stores its objects encrypted.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
                    @ExampleObject(name = "local", summary = "A local folder", value = """
                            {"name": "nas-backups", "type": "local", "path": "/srv/backups/databasement"}"""),
                    @ExampleObject(name = "encrypted", summary = "A local folder, encrypted at rest", value = """
                            {"name": "vault", "type": "local", "path": "/srv/backups/vault", "encryptionKeyId": "k1"}"""),
                    @ExampleObject(name = "s3", summary = "An S3 or MinIO bucket", value = """
                            {"name": "offsite", "type": "s3", "endpoint": "https://s3.eu-central-1.amazonaws.com",
                             "bucket": "acme-db-backups", "region": "eu-central-1", "accessKey": "AKIAIOSFODNN7EXAMPLE",
                             "secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "prefix": "databasement",
                             "publicEndpoint": "https://s3.eu-central-1.amazonaws.com"}""")})))
    @ApiResponse(responseCode = "201", description = "Added; Location names it", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Malformed JSON or invalid fields (all listed in `errors`); "
            + "`unknown-encryption-key` when no key with that id is configured")
    @ApiResponse(responseCode = "409", description = "A volume with this name exists (`volume-name-taken`)")
    @ApiResponse(responseCode = "422", description = "The local folder cannot be created or written (`volume-not-writable`)")
    @PostMapping
    public ResponseEntity<VolumeView> create(@Valid @RequestBody VolumeRequest request) {
        List<FieldViolation> errors = VolumeRequestRules.check(request);
        if (!errors.isEmpty()) {
            throw InvalidRequest.of(errors);
        }
        VolumeView created = volumes.create(request);
        return ResponseEntity.created(URI.create("/api/v1/volumes/" + created.id())).body(created);
    }

    @Operation(operationId = "listVolumes", summary = "List the volumes")
    @GetMapping
    public List<VolumeView> list() {
        return volumes.list();
    }

    @Operation(operationId = "getVolume", summary = "Show one volume")
    @ApiResponse(responseCode = "200", description = "The volume", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No volume with this id (`volume-not-found`)")
    @GetMapping("/{id}")
    public VolumeView get(@PathVariable UUID id) {
        return volumes.get(id);
    }

    @Operation(operationId = "deleteVolume", summary = "Forget a volume", description = "Its files stay where they are.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No volume with this id (`volume-not-found`)")
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable UUID id) {
        volumes.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "testVolume", summary = "Test a volume",
            description = "Writes and deletes a probe object; a failure is reported in the answer, not as an error.")
    @ApiResponse(responseCode = "200", description = "The outcome of the probe", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No volume with this id (`volume-not-found`)")
    @PostMapping("/{id}/test")
    public VolumeTestResult test(@PathVariable UUID id) {
        return volumes.test(id);
    }
}
