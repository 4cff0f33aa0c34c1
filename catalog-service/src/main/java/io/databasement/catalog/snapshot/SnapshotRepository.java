package io.databasement.catalog.snapshot;

import java.util.UUID;
import org.springframework.data.repository.CrudRepository;
import org.springframework.data.repository.query.QueryByExampleExecutor;

interface SnapshotRepository extends CrudRepository<Snapshot, UUID>, QueryByExampleExecutor<Snapshot> {
}
