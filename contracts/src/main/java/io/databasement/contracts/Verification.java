package io.databasement.contracts;

import java.util.List;

/**
 * The result of verifying a snapshot: restored into a scratch database, dumped again, and every table's rows and
 * checksum compared with the {@link TableStats} counted when the snapshot was taken.
 *
 * @param passed         true when no table differs
 * @param tablesCompared tables in the snapshot's dump
 * @param rowsCompared   rows in the snapshot's dump
 * @param mismatches     the tables that differ (empty when passed)
 * @param durationMs     restore, second dump and comparison, in milliseconds
 */
public record Verification(boolean passed, int tablesCompared, long rowsCompared, List<TableMismatch> mismatches,
                           long durationMs) {
}
