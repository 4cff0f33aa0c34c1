package io.databasement.catalog.volume;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The volumes projection. Plain SQL: an upsert that never lets an older state win is one statement. */
@Repository
public class VolumeRepository {

    private final JdbcClient jdbc;

    VolumeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the state unless a newer one is already known (compaction and read-through can race). */
    public void upsert(Volume v) {
        jdbc.sql("""
                        insert into volumes (id, name, type, location, updated_at) values (?, ?, ?, ?, ?)
                        on conflict (id) do update set name = excluded.name, type = excluded.type,
                            location = excluded.location, updated_at = excluded.updated_at
                        where volumes.updated_at <= excluded.updated_at""")
                .params(v.id(), v.name(), v.type(), v.location(), Timestamp.from(v.updatedAt()))
                .update();
    }

    public void delete(UUID id) {
        jdbc.sql("delete from volumes where id = ?").param(id).update();
    }

    public Optional<Volume> find(UUID id) {
        return jdbc.sql("select id, name, type, location, updated_at from volumes where id = ?").param(id)
                .query((rs, n) -> new Volume(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant()))
                .optional();
    }

    public List<Volume> findAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id, name, type, location, updated_at from volumes where id = any(?)")
                .param(ids.toArray(UUID[]::new))
                .query((rs, n) -> new Volume(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant()))
                .list();
    }
}
