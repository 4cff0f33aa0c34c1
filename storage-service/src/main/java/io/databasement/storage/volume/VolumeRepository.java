package io.databasement.storage.volume;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

public interface VolumeRepository extends ListCrudRepository<Volume, UUID> {

    List<Volume> findByDeletedAtIsNullOrderByName();

    Optional<Volume> findByIdAndDeletedAtIsNull(UUID id);

    @Query("select exists (select 1 from volume where lower(name) = lower(:name) and deleted_at is null)")
    boolean liveNameExists(String name);
}
