package io.databasement.storage.store;

/** A part named in a complete call; etag may be null when the caller did not keep it. */
public record PartRef(int partNumber, String etag) {
}
