package io.databasement.storage.store;

import java.io.InputStream;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What completing an upload records besides the bytes.
 *
 * @param sha256         hex SHA-256 of the object's content (its plaintext when stored transformed); null: unchecked
 * @param metadata       extra entries kept with the object and returned by {@link ObjectStore#stat} (lower-case
 *                       names, ASCII values: S3 user metadata rules)
 * @param plaintextView  how to read the content back from the stored bytes, for a store that checks
 *                       {@code sha256} against what it assembled; null when the stored bytes are the content
 */
public record Completion(String sha256, Map<String, String> metadata, UnaryOperator<InputStream> plaintextView) {

    public Completion {
        metadata = Map.copyOf(metadata);
    }

    public static Completion of(String sha256) {
        return new Completion(sha256, Map.of(), null);
    }
}
