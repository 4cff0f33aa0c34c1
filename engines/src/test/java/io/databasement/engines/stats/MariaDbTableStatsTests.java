package io.databasement.engines.stats;

import static io.databasement.engines.stats.DumpFeeding.checksumOf;
import static io.databasement.engines.stats.DumpFeeding.statsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.databasement.contracts.TableStats;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MariaDbTableStatsTests {

    /**
     * mariadb-dump 10.11 (--hex-blob) of a database with escaped quotes, doubled quotes, '),(' in strings, tabs,
     * \0, unicode, blobs, generated, invisible and system-versioned columns, a sequence, a view, and a trigger and
     * a procedure whose bodies hold INSERT lines.
     */
    private static final byte[] REAL_DUMP = DumpFeeding.resource("mariadb-10.11.sql");

    @Test
    void countsEveryTableOfARealDumpButNotInsertsInTriggersOrRoutines() {
        List<TableStats> stats = statsOf(MariaDbTableStats::new, REAL_DUMP, REAL_DUMP.length);

        assertThat(stats).extracting(TableStats::table, TableStats::rows).containsExactly(
                tuple("bits", 1L), tuple("empty", 0L), tuple("g", 2L), tuple("inv", 1L), tuple("sv", 1L), tuple("t1", 5L),
                tuple("we`ird tåble", 2L));
    }

    @Test
    void aRowIsTheTextBetweenItsTuplesOuterParentheses() {
        List<TableStats> stats = statsOf(MariaDbTableStats::new, REAL_DUMP, REAL_DUMP.length);

        assertThat(stats).contains(
                new TableStats("t1", 5, checksumOf("1,'it\\'s\\n\ttab\\\\back ),( \\'q',0x00FF27", "2,NULL,NULL", "3,'(((',''",
                        "4,'dq\\'\\'x \\\"y\\\" \\'),(\\'',0x28", "5,'ünïcødé ✓ 😀 \\r \\0 end',NULL")),
                new TableStats("inv", 1, checksumOf("1,2")),
                new TableStats("empty", 0, "0000000000000000"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 13, 33, 8192})
    void givesTheSameStatisticsWhereverTheStreamIsCut(int chunk) {
        assertThat(statsOf(MariaDbTableStats::new, REAL_DUMP, chunk))
                .isEqualTo(statsOf(MariaDbTableStats::new, REAL_DUMP, REAL_DUMP.length));
    }

    @Test
    void readsOneLineExtendedInsertsSplitOverSeveralStatements() {
        // older mariadb-dump / mysqldump: all tuples on the INSERT's line, a new INSERT every net_buffer_length
        String dump = "LOCK TABLES `t` WRITE;\n"
                + "INSERT INTO `t` VALUES (1,'a'),(2,'b''c'),(3,'),(');\n"
                + "INSERT INTO `t` VALUES (4,'\\\\'),(5,'x\\')');\n"
                + "UNLOCK TABLES;\n";

        assertThat(statsOf(MariaDbTableStats::new, dump)).containsExactly(
                new TableStats("t", 5, checksumOf("1,'a'", "2,'b''c'", "3,'),('", "4,'\\\\'", "5,'x\\')'")));
    }

    @Test
    void parenthesesOutsideStringsNestInsideOneRow() {
        String dump = "LOCK TABLES `t` WRITE;\nINSERT INTO `t` VALUES (1,POINT(1,2)),(2,NULL);\nUNLOCK TABLES;\n";

        assertThat(statsOf(MariaDbTableStats::new, dump)).containsExactly(
                new TableStats("t", 2, checksumOf("1,POINT(1,2)", "2,NULL")));
    }
}
