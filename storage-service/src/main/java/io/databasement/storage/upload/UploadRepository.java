package io.databasement.storage.upload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;

public interface UploadRepository extends ListCrudRepository<UploadSession, UUID> {

    List<UploadSession> findByStateAndCreatedAtBefore(UploadState state, Instant cutoff);
}
