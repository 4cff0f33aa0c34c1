package io.databasement.engines.stats;

import io.databasement.contracts.TableStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per table: rows and the sum (mod 2^64) of each row's XXH64. A sum does not depend on row order, so a restored
 * copy dumped again in another physical order gives the same checksum; a changed, lost or added row changes it.
 */
abstract class RowTally implements TableStatsCollector {

    /** The row being read; subclasses feed its bytes and call {@link #endRow()}. */
    protected final Xxh64 row = new Xxh64();
    private final Map<String, long[]> tables = new HashMap<>();
    private long[] current;

    /** The data that follows belongs to {@code table} (created with 0 rows if new). */
    protected final void enterTable(String table) {
        current = tables.computeIfAbsent(table, t -> new long[2]);
    }

    protected final void endRow() {
        if (current != null) {
            current[0]++;
            current[1] += row.digest();
        }
        row.reset();
    }

    @Override
    public final List<TableStats> finish() {
        return tables.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new TableStats(e.getKey(), e.getValue()[0], hex(e.getValue()[1])))
                .toList();
    }

    static String hex(long checksum) {
        return String.format("%016x", checksum);
    }
}
