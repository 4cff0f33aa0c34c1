package io.databasement.storage.store;

/**
 * A part named in a complete call; etag may be null when the caller did not keep it.
 *
 * @param sizeBytes the size {@link ObjectStore#putPart} reported for it; null when unknown
 */
public record PartRef(int partNumber, String etag, Long sizeBytes) {

    public PartRef(int partNumber, String etag) {
        this(partNumber, etag, null);
    }
}
