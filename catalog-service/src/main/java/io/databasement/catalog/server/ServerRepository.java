package io.databasement.catalog.server;

import java.util.List;
import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;

public interface ServerRepository extends ListCrudRepository<Server, UUID> {

    boolean existsByName(String name);

    List<Server> findAllByOrderByNameAsc();
}
