package io.databasement.storage.upload;

import io.databasement.storage.store.StoredPart;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The parts received so far. Kept outside the {@link UploadSession} aggregate on purpose: parts of one
 * upload arrive in parallel, and saving the aggregate would make them fight over its version.
 */
@Repository
class UploadParts {

    private final JdbcClient jdbc;

    UploadParts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a part; re-sending a part number replaces the earlier one. */
    void record(UUID uploadId, StoredPart part, String sha256, Instant now) {
        jdbc.sql("""
                        insert into upload_part (upload_id, part_number, etag, size_bytes, sha256, uploaded_at)
                        values (:upload, :number, :etag, :size, :sha256, :now)
                        on conflict (upload_id, part_number) do update
                        set etag = excluded.etag, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
                            uploaded_at = excluded.uploaded_at""")
                .param("upload", uploadId).param("number", part.partNumber()).param("etag", part.etag())
                .param("size", part.sizeBytes()).param("sha256", sha256.toLowerCase())
                .param("now", Timestamp.from(now))
                .update();
    }

    record Received(String etag, long sizeBytes) {
    }

    /** Part number → what arrived. */
    Map<Integer, Received> received(UUID uploadId) {
        return jdbc.sql("select part_number, etag, size_bytes from upload_part where upload_id = :upload")
                .param("upload", uploadId)
                .query((rs, row) -> Map.entry(rs.getInt(1), new Received(rs.getString(2), rs.getLong(3))))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    void forget(UUID uploadId) {
        jdbc.sql("delete from upload_part where upload_id = :upload").param("upload", uploadId).update();
    }
}
