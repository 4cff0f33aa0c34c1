package io.databasement.catalog.restore;

import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

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
    @PostMapping("/api/v1/snapshots/{id}/verify")
    ResponseEntity<RestoreView> verify(@PathVariable UUID id, @RequestBody(required = false) VerifyBody body) {
        RestoreView view = verifications.request(id, body == null ? null : body.serverId());
        return ResponseEntity.accepted().location(URI.create("/api/v1/restores/" + view.id())).body(view);
    }

    /** @param serverId where to restore the scratch copy (optional) */
    record VerifyBody(UUID serverId) {
    }
}
