package io.databasement.worker.tool;

import io.databasement.engines.DatabaseEngine;
import java.nio.charset.StandardCharsets;

/**
 * Remembers the last significant line of the raw dump (non-empty and not something the engine allows
 * after its trailer), so completeness is judged by the stream itself, with no second read.
 */
public final class TrailerWatcher {

    /** Trailer lines are short; a longer line is certainly not one and need not be decoded. */
    private static final int MAX_DECODED_LINE = 512;
    private static final String LONG_LINE = "<a long line>";

    private final DatabaseEngine engine;
    private final byte[] line = new byte[MAX_DECODED_LINE];
    private int length;
    private boolean overflow;
    private String lastSignificant;

    public TrailerWatcher(DatabaseEngine engine) {
        this.engine = engine;
    }

    public void feed(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else if (length < MAX_DECODED_LINE) {
                line[length++] = b;
            } else {
                overflow = true;
            }
        }
    }

    /** Call at end of stream: the last line may have no newline. */
    public void finish() {
        endLine();
    }

    private void endLine() {
        if (overflow) {
            lastSignificant = LONG_LINE;
        } else if (length > 0) {
            String text = new String(line, 0, length, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty() && !engine.followsTrailer(text)) {
                lastSignificant = text;
            }
        }
        length = 0;
        overflow = false;
    }

    public boolean complete() {
        return engine.isCompleteDumpEnding(lastSignificant);
    }

    public String lastSignificantLine() {
        return lastSignificant;
    }
}
