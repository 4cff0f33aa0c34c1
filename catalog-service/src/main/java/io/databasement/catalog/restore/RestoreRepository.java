package io.databasement.catalog.restore;

import java.util.UUID;
import org.springframework.data.repository.CrudRepository;

interface RestoreRepository extends CrudRepository<Restore, UUID> {
}
