package io.databasement.storage.upload;

import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;

public interface UploadRepository extends ListCrudRepository<UploadSession, UUID> {
}
