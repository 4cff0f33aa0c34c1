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

    /**
     * Only the newest significant line matters, so the lines that end in this chunk are looked at newest first and
     * the search stops at the first significant one: one line decoded per chunk, not one per row of the dump.
     */
    public void feed(byte[] bytes, int offset, int count) {
        int end = offset + count;
        int lastNewline = lastNewline(bytes, offset, end);
        if (lastNewline < 0) {
            carry(bytes, offset, count);
            return;
        }
        String found = null;
        int lineEnd = lastNewline;
        while (found == null) {
            int before = lastNewline(bytes, offset, lineEnd);
            if (before < 0) {
                // the chunk's first line continues the line carried over from the chunks before
                carry(bytes, offset, lineEnd - offset);
                found = significant(line, 0, length, overflow);
                break;
            }
            found = significant(bytes, before + 1, lineEnd - before - 1, false);
            lineEnd = before;
        }
        if (found != null) {
            lastSignificant = found;
        }
        length = 0;
        overflow = false;
        carry(bytes, lastNewline + 1, end - lastNewline - 1);
    }

    /** Call at end of stream: the last line may have no newline. */
    public void finish() {
        String found = significant(line, 0, length, overflow);
        if (found != null) {
            lastSignificant = found;
        }
        length = 0;
        overflow = false;
    }

    private static int lastNewline(byte[] bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Keeps the start of the unfinished line, up to what a trailer could be. */
    private void carry(byte[] bytes, int offset, int count) {
        int kept = Math.min(count, MAX_DECODED_LINE - length);
        System.arraycopy(bytes, offset, line, length, kept);
        length += kept;
        if (kept < count) {
            overflow = true;
        }
    }

    /** @return the line as remembered if it is significant, else null */
    private String significant(byte[] bytes, int offset, int count, boolean longer) {
        if (longer || count > MAX_DECODED_LINE) {
            return LONG_LINE;
        }
        if (count == 0) {
            return null;
        }
        String text = new String(bytes, offset, count, StandardCharsets.UTF_8).strip();
        return text.isEmpty() || engine.followsTrailer(text) ? null : text;
    }

    public boolean complete() {
        return engine.isCompleteDumpEnding(lastSignificant);
    }

    public String lastSignificantLine() {
        return lastSignificant;
    }
}
