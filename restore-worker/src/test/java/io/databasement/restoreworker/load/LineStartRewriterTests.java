package io.databasement.restoreworker.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineStartRewriterTests {

    private static final Map<String, String> REWRITE = Map.of("ALTER DATABASE `shop` ", "ALTER DATABASE `dbm_rst_1_shop` ");

    private static String through(String sql, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LineStartRewriter rewriter = new LineStartRewriter(out, REWRITE)) {
            byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += chunk) {
                rewriter.write(bytes, i, Math.min(chunk, bytes.length - i));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onlyLinesThatStartWithThePrefixChangeWhateverTheChunkBoundaries() throws Exception {
        String sql = "INSERT INTO t VALUES ('ALTER DATABASE `shop` x');\n"
                + "ALTER DATABASE `shop` CHARACTER SET latin1 COLLATE latin1_swedish_ci ;\n"
                + "ALTER DATABASE `shopping` CHARACTER SET latin1;\n"
                + "ALTER DATABASE `shop`\n"
                + "-- Dump completed é\n"
                + "ALTER DATABASE `shop` CHARACTER SET utf8mb4 ;";
        String expected = sql.replace("\nALTER DATABASE `shop` CHARACTER", "\nALTER DATABASE `dbm_rst_1_shop` CHARACTER");

        for (int chunk : new int[] {1, 2, 7, 64, 100_000}) {
            assertThat(through(sql, chunk)).as("chunk %d", chunk).isEqualTo(expected);
        }
    }

    @Test
    void withNothingToRewriteTheStreamPassesUnchanged() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LineStartRewriter rewriter = new LineStartRewriter(out, Map.of())) {
            rewriter.write("ALTER DATABASE `shop` x\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ALTER DATABASE `shop` x\n");
    }
}
