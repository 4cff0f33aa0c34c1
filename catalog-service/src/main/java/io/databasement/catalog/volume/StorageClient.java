package io.databasement.catalog.volume;

import io.databasement.catalog.storage.StorageCalls;
import io.databasement.contracts.VolumeState;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** storage-service's internal API, as far as the catalog needs it; through the {@code storage} retry and breaker. */
@Component
class StorageClient {

    private final RestClient http;
    private final StorageCalls calls;

    StorageClient(RestClient storageService, StorageCalls calls) {
        this.http = storageService;
        this.calls = calls;
    }

    /**
     * {@code GET /internal/volumes/{id}}: empty on 404; anything else unexpected throws.
     *
     * @throws StorageCalls.StorageUnavailableException storage said "later" at every attempt, or its breaker is open
     */
    Optional<VolumeState> volume(UUID id) {
        return calls.call("volume", () -> http.get().uri("/internal/volumes/{id}", id)
                .exchange((request, response) -> {
                    StorageCalls.checkAnswer(response.getStatusCode().value());
                    if (response.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return Optional.<VolumeState>empty();
                    }
                    if (!response.getStatusCode().is2xxSuccessful()) {
                        throw new StorageUnavailableException("storage-service answered " + response.getStatusCode().value());
                    }
                    return Optional.ofNullable(response.bodyTo(VolumeState.class));
                }));
    }

    static class StorageUnavailableException extends RuntimeException {
        StorageUnavailableException(String message) {
            super(message);
        }
    }
}
