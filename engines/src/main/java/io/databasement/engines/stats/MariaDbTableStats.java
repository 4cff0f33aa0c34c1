package io.databasement.engines.stats;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows of a {@code mariadb-dump} / {@code mysqldump} dump with extended inserts (the default), as the engine runs
 * it ({@code --hex-blob}, no {@code --complete-insert}): each table's data section is
 * <pre>
 * LOCK TABLES `t` WRITE;
 * INSERT INTO `t` VALUES (1,'it\'s'),(2,NULL);      (mariadb-dump 10.11 puts each tuple on its own line)
 * UNLOCK TABLES;
 * </pre>
 * An empty table still has its LOCK/UNLOCK pair and counts with 0 rows. A row is the text between a tuple's outer
 * parentheses; tuples are split at the top level, outside {@code '…'} strings whose backslash escapes
 * ({@code \'}, {@code \\}) and doubled quotes are honoured, so {@code '),('} inside a value splits nothing. Binary
 * values are {@code 0x…} (--hex-blob). INSERT lines outside a LOCK/UNLOCK pair (a trigger or routine body)
 * are not data. A column list ({@code INSERT INTO `t` (`a`) VALUES}, as for invisible columns) is skipped.
 * <p>
 * Counted: base tables, including system-versioned ones (their current rows: the history is not in a dump without
 * {@code --dump-history}); generated columns are in the tuples as the tool prints them. Not rows: views, sequences
 * ({@code SETVAL}).
 */
public final class MariaDbTableStats extends RowTally {

    private static final byte[] LOCK = "LOCK TABLES `".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNLOCK = "UNLOCK TABLES".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INSERT = "INSERT INTO `".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUES = "VALUES".getBytes(StandardCharsets.US_ASCII);
    /** All three prefixes are this long. */
    private static final int PREFIX = 13;

    private enum State { LINE_START, SKIP_LINE, LOCK_NAME, INSERT_NAME, HEADER, TUPLES, ROW, STRING, ESCAPE }

    private State state = State.LINE_START;
    private final byte[] prefix = new byte[PREFIX];
    private int prefixLength;
    private final ByteArrayOutputStream name = new ByteArrayOutputStream();
    /** In a name, the last byte was a backtick: the name ends unless another one follows ({@code ``}). */
    private boolean backtickPending;
    /** Between LOCK TABLES and UNLOCK TABLES: INSERTs there are data. */
    private boolean inData;
    private int valuesMatched;
    private boolean headerInBackticks;
    private int depth;

    @Override
    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int rowFrom = offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            switch (state) {
                case LINE_START -> lineStart(b);
                case SKIP_LINE -> {
                    // most of a dump is skipped: look for the end of the line without the state switch per byte
                    while (i < end && bytes[i] != '\n') {
                        i++;
                    }
                    if (i < end) {
                        state = State.LINE_START;
                    }
                }
                case LOCK_NAME, INSERT_NAME -> {
                    if (name(b)) {
                        i--; // the byte after the name belongs to the next state
                    }
                }
                case HEADER -> header(b);
                case TUPLES -> {
                    if (b == '(') {
                        state = State.ROW;
                        depth = 1;
                        rowFrom = i + 1;
                        row.reset();
                    } else if (b == ';') {
                        state = State.SKIP_LINE;
                    }
                }
                case ROW -> {
                    while (b != '\'' && b != '(' && b != ')' && ++i < end) {
                        b = bytes[i];
                    }
                    if (i == end) {
                        break;
                    }
                    if (b == '\'') {
                        state = State.STRING;
                    } else if (b == '(') {
                        depth++;
                    } else if (b == ')' && --depth == 0) {
                        row.update(bytes, rowFrom, i - rowFrom);
                        endRow();
                        state = State.TUPLES;
                    }
                }
                case STRING -> {
                    while (b != '\'' && b != '\\' && ++i < end) {
                        b = bytes[i];
                    }
                    if (i == end) {
                        break;
                    }
                    if (b == '\\') {
                        state = State.ESCAPE;
                    } else if (b == '\'') {
                        state = State.ROW; // a doubled '' re-enters the string at once
                    }
                }
                case ESCAPE -> state = State.STRING;
            }
        }
        if (state == State.ROW || state == State.STRING || state == State.ESCAPE) {
            row.update(bytes, rowFrom, end - rowFrom);
        }
    }

    private void lineStart(byte b) {
        if (b == '\n') {
            prefixLength = 0;
            return;
        }
        prefix[prefixLength++] = b;
        if (prefixLength < PREFIX) {
            return;
        }
        prefixLength = 0;
        name.reset();
        backtickPending = false;
        if (matches(LOCK)) {
            state = State.LOCK_NAME;
        } else if (inData && matches(INSERT)) {
            state = State.INSERT_NAME;
        } else {
            if (matches(UNLOCK)) {
                inData = false;
            }
            state = State.SKIP_LINE;
        }
    }

    private boolean matches(byte[] expected) {
        for (int k = 0; k < PREFIX; k++) {
            if (prefix[k] != expected[k]) {
                return false;
            }
        }
        return true;
    }

    /** @return true when {@code b} is the first byte after the name (the name is complete; reprocess {@code b}) */
    private boolean name(byte b) {
        if (backtickPending) {
            backtickPending = false;
            if (b == '`') {
                name.write('`');
                return false;
            }
            String table = name.toString(StandardCharsets.UTF_8);
            if (state == State.LOCK_NAME) {
                inData = true;
                enterTable(table);
                state = State.SKIP_LINE;
            } else {
                enterTable(table);
                state = State.HEADER;
                valuesMatched = 0;
                headerInBackticks = false;
            }
            return true;
        }
        if (b == '`') {
            backtickPending = true;
        } else {
            name.write(b);
        }
        return false;
    }

    /** Skips an optional column list up to the keyword VALUES (outside backticks). */
    private void header(byte b) {
        if (b == '`') {
            headerInBackticks = !headerInBackticks;
            valuesMatched = 0;
        } else if (headerInBackticks) {
            return;
        } else if (b == VALUES[valuesMatched]) {
            if (++valuesMatched == VALUES.length) {
                state = State.TUPLES;
            }
        } else {
            valuesMatched = b == VALUES[0] ? 1 : 0;
        }
    }
}
