package io.databasement.storage.store;

public record StoredPart(int partNumber, String etag, long sizeBytes) {
}
