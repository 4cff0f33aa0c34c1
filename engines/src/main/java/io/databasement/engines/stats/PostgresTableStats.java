package io.databasement.engines.stats;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Rows of a {@code pg_dump --format=plain} dump: each table's data is a block
 * <pre>
 * -- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -
 * --
 *
 * COPY public.t (a, b) FROM stdin;
 * 1	x
 * \.
 * </pre>
 * where every line is one row (COPY's text format escapes newlines, tabs and backslashes inside values), and an
 * empty table still has its block. A {@code COPY} line counts only right after such a "TABLE DATA" comment (with
 * only comment and blank lines between), so a function body that happens to contain one is not mistaken for
 * data (unless the body also forges that comment). The table is named {@code schema.table} with pg_dump's quoting removed.
 * <p>
 * Counted: ordinary and unlogged tables, each partition of a partitioned table (under the partition's own name;
 * the parent has no data block). Not rows: sequences ({@code setval}), views, materialized views (refreshed on
 * restore, not copied), large objects.
 */
public final class PostgresTableStats extends RowTally {

    /** Enough of a line to recognise the comment and parse the COPY line's table name (two identifiers ≤ 63 bytes each). */
    private static final int KEPT_PREFIX = 1024;
    private static final byte[] DATA_COMMENT = "-- Data for Name: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_TYPE = "; Type: TABLE DATA; ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COPY = "COPY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMENT = "--".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private boolean inCopy;
    /** A TABLE DATA comment was the last significant line: a COPY line now is a table's data. */
    private boolean armed;
    private final byte[] line = new byte[KEPT_PREFIX];
    /** Bytes of the current line so far (only the first {@link #KEPT_PREFIX} are kept). */
    private long lineLength;

    @Override
    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int newline = indexOf(bytes, i, end);
            int stop = newline < 0 ? end : newline;
            keep(bytes, i, stop);
            if (inCopy) {
                row.update(bytes, i, stop - i);
            }
            lineLength += stop - i;
            if (newline < 0) {
                return;
            }
            endLine();
            i = newline + 1;
        }
    }

    private void keep(byte[] bytes, int from, int to) {
        // a data row is only ever compared with "\." (its end), so of a row two bytes are enough: copying the first
        // KiB of every row was a second pass over nearly all of the dump
        long wanted = inCopy ? 2 : KEPT_PREFIX;
        if (lineLength < wanted) {
            int n = (int) Math.min(to - from, wanted - lineLength);
            System.arraycopy(bytes, from, line, (int) lineLength, n);
        }
    }

    private void endLine() {
        int kept = (int) Math.min(lineLength, KEPT_PREFIX);
        if (inCopy) {
            if (lineLength == 2 && line[0] == '\\' && line[1] == '.') {
                inCopy = false;
                row.reset();
            } else {
                endRow();
            }
        } else if (startsWith(kept, DATA_COMMENT)) {
            armed = contains(kept, DATA_TYPE);
        } else if (armed && startsWith(kept, COPY)) {
            enterTable(tableName(kept));
            inCopy = true;
            armed = false;
            row.reset();
        } else if (kept > 0 && !startsWith(kept, COMMENT)) {
            armed = false;
        }
        lineLength = 0;
    }

    /** {@code COPY "My Schema"."we""ird" (a) FROM stdin;} → {@code My Schema.we"ird}. */
    private String tableName(int kept) {
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        int i = identifier(COPY.length, kept, name);
        if (i < kept && line[i] == '.') {
            name.write('.');
            identifier(i + 1, kept, name);
        }
        return name.toString(StandardCharsets.UTF_8);
    }

    /** Appends one (possibly quoted) identifier starting at {@code i}; returns the index after it. */
    private int identifier(int i, int kept, ByteArrayOutputStream out) {
        if (i < kept && line[i] == '"') {
            i++;
            while (i < kept) {
                if (line[i] == '"') {
                    if (i + 1 < kept && line[i + 1] == '"') {
                        out.write('"');
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                out.write(line[i++]);
            }
            return i;
        }
        while (i < kept && line[i] != '.' && line[i] != ' ' && line[i] != '(') {
            out.write(line[i++]);
        }
        return i;
    }

    private boolean startsWith(int kept, byte[] prefix) {
        if (kept < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (line[k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(int kept, byte[] needle) {
        outer:
        for (int s = 0; s + needle.length <= kept; s++) {
            for (int k = 0; k < needle.length; k++) {
                if (line[s + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The next '\n' at or after {@code from}, eight bytes at a time (a zero-byte test on the XOR), or -1. */
    static int indexOf(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(bytes, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + Long.numberOfTrailingZeros(found) / Byte.SIZE;
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
