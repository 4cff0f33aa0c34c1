package io.databasement.engines.stats;

import io.databasement.contracts.TableStats;
import java.util.List;

/**
 * Counts and hashes each table's rows in a plain-SQL dump while it streams past (fed the raw, decompressed bytes
 * in chunks of any size, split anywhere). One per dump, used by one thread. Never throws on odd input: text it
 * does not recognise as table data is not counted, so a dump always completes whatever the statistics say.
 */
public interface TableStatsCollector {

    void feed(byte[] bytes, int offset, int length);

    /**
     * Every table whose data section the dump contained (also those with no rows), sorted by name. Call once, after
     * the last chunk.
     */
    List<TableStats> finish();
}
