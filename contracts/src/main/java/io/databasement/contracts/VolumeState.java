package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * The public view of a storage volume (never its secrets), on the compacted {@link Topics#VOLUMES} topic
 * keyed by volume id. A deleted volume is a tombstone (null value).
 *
 * @param type     {@code local} or {@code s3}
 * @param location a readable location without secrets: {@code s3://bucket/prefix} or the local folder
 */
public record VolumeState(UUID volumeId, String name, String type, String location, Instant updatedAt) {
}
