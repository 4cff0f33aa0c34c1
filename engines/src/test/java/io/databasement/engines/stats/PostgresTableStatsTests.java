package io.databasement.engines.stats;

import static io.databasement.engines.stats.DumpFeeding.checksumOf;
import static io.databasement.engines.stats.DumpFeeding.statsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.TableStats;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresTableStatsTests {

    /** pg_dump 15 of a database with quotes, tabs, newlines, backslashes, bytea, NULLs, unicode, odd names, partitions. */
    private static final byte[] REAL_DUMP = DumpFeeding.resource("postgres-15.sql");

    @Test
    void countsEveryTableOfARealDumpIncludingEmptyOnesAndPartitions() {
        List<TableStats> stats = statsOf(PostgresTableStats::new, REAL_DUMP, REAL_DUMP.length);

        assertThat(stats).extracting(TableStats::table, TableStats::rows).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Odd Schema.we\"ird tåble", 2L),
                org.assertj.core.groups.Tuple.tuple("public.empty", 0L),
                org.assertj.core.groups.Tuple.tuple("public.g", 1L),
                org.assertj.core.groups.Tuple.tuple("public.nocols", 2L),
                org.assertj.core.groups.Tuple.tuple("public.p1", 2L),
                org.assertj.core.groups.Tuple.tuple("public.t1", 4L),
                org.assertj.core.groups.Tuple.tuple("public.tz", 2L));
    }

    @Test
    void checksumIsTheSumOfEachRowLinesHash() {
        List<TableStats> stats = statsOf(PostgresTableStats::new, REAL_DUMP, REAL_DUMP.length);

        assertThat(stats).contains(
                new TableStats("public.t1", 4, checksumOf("1\tit's\\n\\ttab\\\\back\t\\\\x00ff", "2\t\\N\t\\N", "3\t\\\\.\t\\N",
                        "4\t),(\t\\N")),
                new TableStats("public.nocols", 2, checksumOf("", "")),
                new TableStats("public.empty", 0, "0000000000000000"),
                new TableStats("public.tz", 2, checksumOf("2020-01-01 10:00:00+00\tünïcødé ✓ 😀", "\\N\t\\r\\\\N")));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 31, 33, 8192})
    void givesTheSameStatisticsWhereverTheStreamIsCut(int chunk) {
        assertThat(statsOf(PostgresTableStats::new, REAL_DUMP, chunk))
                .isEqualTo(statsOf(PostgresTableStats::new, REAL_DUMP, REAL_DUMP.length));
    }

    @Test
    void rowOrderDoesNotChangeTheChecksumButAChangedRowDoes() {
        String header = "--\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nCOPY public.t (a) FROM stdin;\n";
        List<TableStats> one = statsOf(PostgresTableStats::new, header + "1\n2\n3\n\\.\n");
        List<TableStats> shuffled = statsOf(PostgresTableStats::new, header + "3\n1\n2\n\\.\n");
        List<TableStats> changed = statsOf(PostgresTableStats::new, header + "1\n2\n4\n\\.\n");

        assertThat(shuffled).isEqualTo(one);
        assertThat(changed.get(0).rows()).isEqualTo(3);
        assertThat(changed.get(0).checksum()).isNotEqualTo(one.get(0).checksum());
    }

    @Test
    void aCopyLineThatDoesNotFollowATableDataCommentIsNotData() {
        String dump = "CREATE FUNCTION f() RETURNS void AS $$\nCOPY public.t (a) FROM stdin;\n1\n\\.\n$$;\n";

        assertThat(statsOf(PostgresTableStats::new, dump)).isEmpty();
    }

    @Test
    void aSequenceSetIsNotATable() {
        String dump = "--\n-- Name: s; Type: SEQUENCE SET; Schema: public; Owner: -\n--\n\nSELECT pg_catalog.setval('public.s', 5, true);\n";

        assertThat(statsOf(PostgresTableStats::new, dump)).isEmpty();
    }

    @Test
    void aLongRowIsHashedWhole() {
        String longValue = "x".repeat(100_000);
        String dump = "-- Data for Name: t; Type: TABLE DATA; Schema: s; Owner: -\n\nCOPY s.t (a) FROM stdin;\n" + longValue + "\n\\.\n";

        assertThat(statsOf(PostgresTableStats::new, dump.getBytes(java.nio.charset.StandardCharsets.UTF_8), 8192))
                .containsExactly(new TableStats("s.t", 1, checksumOf(longValue)));
    }

    @Test
    void theWordAtATimeNewlineSearchFindsTheFirstNewlineWhereverItIs() {
        java.util.Random random = new java.util.Random(8);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                // bytes next to '\n' (0x0B, 0x09) and with the high bit set are where a borrow could mislead the test
                bytes[i] = (byte) new int[] {'a', 0x0B, 0x09, 0x8A, 0xFF, 0x00}[random.nextInt(6)];
            }
            int newlines = random.nextInt(3);
            for (int k = 0; k < newlines; k++) {
                bytes[random.nextInt(bytes.length)] = '\n';
            }
            int from = random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (bytes[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(PostgresTableStats.indexOf(bytes, from, to)).as("round %d", round).isEqualTo(expected);
        }
    }
}
