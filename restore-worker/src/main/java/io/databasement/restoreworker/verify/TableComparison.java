package io.databasement.restoreworker.verify;

import io.databasement.contracts.TableMismatch;
import io.databasement.contracts.TableStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Table by table: the snapshot's statistics against the scratch copy's. */
final class TableComparison {

    /**
     * @return every table missing on one side (its count and checksum null there) or whose rows or checksum differ,
     *         sorted by name; empty when both sides hold the same tables with the same rows
     */
    static List<TableMismatch> mismatches(List<TableStats> expected, List<TableStats> actual) {
        Map<String, TableStats> before = byName(expected);
        Map<String, TableStats> after = byName(actual);
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<TableMismatch> mismatches = new ArrayList<>();
        for (String name : names) {
            TableStats e = before.get(name);
            TableStats a = after.get(name);
            if (e == null || a == null || e.rows() != a.rows() || !e.checksum().equalsIgnoreCase(a.checksum())) {
                mismatches.add(new TableMismatch(name, e == null ? null : e.rows(), a == null ? null : a.rows(),
                        e == null ? null : e.checksum(), a == null ? null : a.checksum()));
            }
        }
        return mismatches;
    }

    private static Map<String, TableStats> byName(List<TableStats> tables) {
        Map<String, TableStats> map = new LinkedHashMap<>();
        tables.forEach(t -> map.put(t.table(), t));
        return map;
    }

    private TableComparison() {
    }
}
