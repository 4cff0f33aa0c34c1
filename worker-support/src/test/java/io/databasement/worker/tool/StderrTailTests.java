package io.databasement.worker.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A tool's last words make the failure reason; its first error line leads when it came before them. */
class StderrTailTests {

    static String reasonOf(String stderr) throws InterruptedException {
        StderrTail tail = new StderrTail(new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)), "test-stderr");
        tail.awaitEnd(5_000);
        return tail.lastLines();
    }

    @Test
    void aConnectionCutMidDumpSaysWhatFailedFirst() throws Exception {
        String pgDump = """
                pg_dump: error: Dumping the contents of table "orders" failed: PQgetResult() failed.
                pg_dump: detail: Error message from server: server closed the connection unexpectedly
                \tThis probably means the server terminated abnormally
                \tbefore or while processing the request.
                pg_dump: detail: Command was: COPY public.orders (id, note, total) TO stdout;
                """;
        assertThat(reasonOf(pgDump)).startsWith("pg_dump: error: Dumping the contents of table \"orders\" failed")
                .endsWith("pg_dump: detail: Command was: COPY public.orders (id, note, total) TO stdout;")
                .doesNotContain("server closed the connection unexpectedly");
    }

    @Test
    void shortOrErrorlessOutputIsKeptAsItIs() throws Exception {
        assertThat(reasonOf("mariadb-dump: Got error: 1045: \"Access denied\" when trying to connect\n"))
                .isEqualTo("mariadb-dump: Got error: 1045: \"Access denied\" when trying to connect");
        assertThat(reasonOf("a\nb\nc\nd\n")).isEqualTo("b\nc\nd");
        assertThat(reasonOf("")).isEmpty();
    }
}
