package io.databasement.catalog.snapshot;

import io.databasement.contracts.TableMismatch;
import io.databasement.contracts.TableStats;
import io.databasement.contracts.Verification;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a verification ended, as kept on the snapshot ({@code verification_detail}, JSON).
 *
 * @param verifiedOn     the server whose scratch database was used
 * @param tablesCompared 0 when the restore failed, or the snapshot has no table statistics
 * @param mismatches     the tables that differ
 * @param error          why the scratch restore failed; null when it ran
 */
public record VerificationDetail(String verifiedOn, int tablesCompared, long rowsCompared, List<TableMismatch> mismatches,
                                 String error) {

    /** The snapshot's JSON columns are ours alone: one plain mapper reads and writes them. */
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<TableStats>> TABLE_STATS = new TypeReference<>() { };

    static VerificationDetail ran(String verifiedOn, Verification result) {
        return new VerificationDetail(verifiedOn, result.tablesCompared(), result.rowsCompared(),
                result.mismatches() == null ? List.of() : result.mismatches(), null);
    }

    static VerificationDetail failed(String verifiedOn, String error) {
        return new VerificationDetail(verifiedOn, 0, 0, List.of(), error);
    }

    String toJson() {
        return JSON.writeValueAsString(this);
    }

    static VerificationDetail fromJson(String json) {
        return json == null ? null : JSON.readValue(json, VerificationDetail.class);
    }

    static String tableStatsJson(List<TableStats> tables) {
        return tables == null ? null : JSON.writeValueAsString(tables);
    }

    /** The snapshot's table statistics, or null when its backup did not count them. */
    static List<TableStats> tableStats(String json) {
        return json == null ? null : JSON.readValue(json, TABLE_STATS);
    }
}
