package io.databasement.worker.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.engines.PostgresEngine;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrailerWatcherTests {

    private final PostgresEngine engine = new PostgresEngine();

    private static final String COMPLETE = "COPY public.t (x) FROM stdin;\n1\n2\n\\.\n\n"
            + "--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abcDEF123\n\n";

    @Test
    void theTrailerIsFoundHoweverTheStreamIsCut() {
        byte[] bytes = COMPLETE.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut <= bytes.length; cut++) {
            assertThat(watch(bytes, cut).complete()).as("chunks of %d bytes", cut).isTrue();
        }
    }

    @Test
    void theLastSignificantLineIsTheSameAsLineByLineWhateverTheChunks() {
        Random random = new Random(42);
        String[] pieces = {"", "--", "\\unrestrict x", "  ", "INSERT 1;", "-- PostgreSQL database dump complete", "x".repeat(600),
                "y".repeat(512), "é\t"};
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            int lines = random.nextInt(12);
            for (int i = 0; i < lines; i++) {
                text.append(pieces[random.nextInt(pieces.length)]).append(i < lines - 1 || random.nextBoolean() ? "\n" : "");
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            int chunk = 1 + random.nextInt(700);
            assertThat(watch(bytes, chunk).lastSignificantLine()).as("%s in chunks of %d", text, chunk)
                    .isEqualTo(lineByLine(text.toString()));
        }
    }

    @Test
    void aDumpCutOffMidRowIsIncomplete() {
        byte[] bytes = (COMPLETE + "INSERT INTO t VALUES (1").getBytes(StandardCharsets.UTF_8);
        assertThat(watch(bytes, 7).complete()).isFalse();
    }

    private TrailerWatcher watch(byte[] bytes, int chunk) {
        TrailerWatcher watcher = new TrailerWatcher(engine);
        for (int at = 0; at < bytes.length; at += chunk) {
            watcher.feed(bytes, at, Math.min(chunk, bytes.length - at));
        }
        watcher.finish();
        return watcher;
    }

    /** What the watcher promises, said the slow way. */
    private String lineByLine(String text) {
        String last = null;
        for (String line : text.split("\n", -1)) {
            if (line.getBytes(StandardCharsets.UTF_8).length > 512) {
                last = "<a long line>";
            } else if (!line.strip().isEmpty() && !engine.followsTrailer(line.strip())) {
                last = line.strip();
            }
        }
        return last;
    }
}
