package io.databasement.restoreworker.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.TableMismatch;
import io.databasement.contracts.TableStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableComparisonTests {

    private static final TableStats ORDERS = new TableStats("public.orders", 3, "00000000000000aa");
    private static final TableStats EMPTY = new TableStats("public.empty", 0, "0000000000000000");

    @Test
    void theSameTablesWithTheSameRowsAndChecksumsDifferNowhere() {
        assertThat(TableComparison.mismatches(List.of(ORDERS, EMPTY), List.of(EMPTY, ORDERS))).isEmpty();
    }

    @Test
    void aTableMissingOnEitherSideHasNullsThere() {
        TableStats extra = new TableStats("public.extra", 1, "0000000000000001");

        assertThat(TableComparison.mismatches(List.of(ORDERS, EMPTY), List.of(ORDERS, extra))).containsExactly(
                new TableMismatch("public.empty", 0L, null, "0000000000000000", null),
                new TableMismatch("public.extra", null, 1L, null, "0000000000000001"));
    }

    @Test
    void differentRowsOrTheSameRowCountWithOtherContentIsAMismatch() {
        TableStats emptied = new TableStats("public.orders", 0, "0000000000000000");
        TableStats tampered = new TableStats("public.orders", 3, "00000000000000bb");

        assertThat(TableComparison.mismatches(List.of(ORDERS), List.of(emptied)))
                .containsExactly(new TableMismatch("public.orders", 3L, 0L, "00000000000000aa", "0000000000000000"));
        assertThat(TableComparison.mismatches(List.of(ORDERS), List.of(tampered)))
                .containsExactly(new TableMismatch("public.orders", 3L, 3L, "00000000000000aa", "00000000000000bb"));
    }
}
