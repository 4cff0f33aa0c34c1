package io.databasement.worker.tool;

import io.databasement.worker.trace.JobContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Drains a tool's stderr on its own thread (a full pipe would stall the tool) and keeps the last
 * {@link #CAPACITY} bytes: the tool's own last words are the failure reason.
 */
public final class StderrTail {

    public static final int CAPACITY = 64 * 1024;
    private static final int REASON_LINES = 3;
    /** pg_dump/psql "error:", mariadb-dump "Got error", a server's "ERROR:". */
    private static final java.util.regex.Pattern ERROR_LINE =
            java.util.regex.Pattern.compile("(?i)(^|\\s|:)(error:|got error)");

    private final byte[] ring = new byte[CAPACITY];
    private long written;
    private final Thread thread;

    public StderrTail(InputStream stderr, String name) {
        this.thread = new Thread(JobContext.wrap(() -> drain(stderr)), name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                append(buffer, n);
            }
        } catch (IOException e) {
            // the tool was killed or ended: what we have is what it said
        }
    }

    private synchronized void append(byte[] buffer, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (written++ % CAPACITY)] = buffer[i];
        }
    }

    public void awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
    }

    public synchronized String text() {
        int size = (int) Math.min(written, CAPACITY);
        byte[] out = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % CAPACITY)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * The last few non-empty lines, joined by newlines; empty if the tool said nothing. When the tool's first
     * error line came earlier (pg_dump says "error: Dumping the contents of table ... failed" and then several lines
     * of detail), it leads, so the reason says what failed before how.
     */
    public String lastLines() {
        List<String> lines = new ArrayList<>(text().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        int from = Math.max(0, lines.size() - REASON_LINES);
        List<String> reason = new ArrayList<>();
        for (int i = 0; i < from; i++) {
            if (ERROR_LINE.matcher(lines.get(i)).find()) {
                reason.add(lines.get(i));
                break;
            }
        }
        reason.addAll(lines.subList(from, lines.size()));
        return String.join("\n", reason);
    }
}
