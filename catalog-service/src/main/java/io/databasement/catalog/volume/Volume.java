package io.databasement.catalog.volume;

import io.databasement.contracts.VolumeState;
import java.time.Instant;
import java.util.UUID;

/**
 * The catalog's copy of a storage volume's public view (never its secrets).
 *
 * @param location {@code s3://bucket/prefix} or a local folder; a snapshot's path is location + "/" + object key
 */
public record Volume(UUID id, String name, String type, String location, Instant updatedAt) {

    public static Volume of(VolumeState state) {
        return new Volume(state.volumeId(), state.name(), state.type(), state.location(), state.updatedAt());
    }

    /** The full path of an object in this volume. */
    public static String path(String location, String objectKey) {
        if (objectKey == null) {
            return null;
        }
        return location.endsWith("/") ? location + objectKey : location + "/" + objectKey;
    }
}
