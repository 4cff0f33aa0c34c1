package io.databasement.storage.volume;

import io.databasement.contracts.VolumeState;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** What other services may know of a volume: the same fields as the {@link VolumeState} message. */
@RestController
public class InternalVolumeController {

    private final VolumeService volumes;

    public InternalVolumeController(VolumeService volumes) {
        this.volumes = volumes;
    }

    @GetMapping("/internal/volumes/{id}")
    public VolumeState get(@PathVariable UUID id) {
        return volumes.require(id).state();
    }
}
