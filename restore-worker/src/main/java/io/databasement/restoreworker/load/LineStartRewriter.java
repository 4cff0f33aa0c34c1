package io.databasement.restoreworker.load;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Replaces given prefixes at the start of lines while the SQL streams through, without holding more than the
 * longest prefix: everything else passes unchanged (dump lines can be megabytes long).
 */
final class LineStartRewriter extends FilterOutputStream {

    private final List<byte[]> needles = new ArrayList<>();
    private final List<byte[]> replacements = new ArrayList<>();
    private final byte[] pending;
    private int pendingLength;
    /** True while the current line's first bytes may still match a needle. */
    private boolean atLineStart = true;

    LineStartRewriter(OutputStream out, Map<String, String> rewrites) {
        super(out);
        int longest = 0;
        for (Map.Entry<String, String> e : rewrites.entrySet()) {
            byte[] needle = e.getKey().getBytes(StandardCharsets.UTF_8);
            needles.add(needle);
            replacements.add(e.getValue().getBytes(StandardCharsets.UTF_8));
            longest = Math.max(longest, needle.length);
        }
        this.pending = new byte[longest];
        this.atLineStart = !needles.isEmpty();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (needles.isEmpty()) {
            out.write(b, off, len);
            return;
        }
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (atLineStart) {
                pending[pendingLength++] = c;
                int match = match();
                if (match == -2) {
                    continue; // still a prefix of some needle
                }
                if (match >= 0) {
                    out.write(replacements.get(match));
                } else {
                    out.write(pending, 0, pendingLength);
                }
                pendingLength = 0;
                atLineStart = c == '\n';
                start = i + 1;
            } else if (c == '\n') {
                out.write(b, start, i + 1 - start);
                start = i + 1;
                atLineStart = true;
            }
        }
        if (!atLineStart && start < end) {
            out.write(b, start, end - start);
        }
    }

    /** @return the index of a needle equal to the pending bytes, -2 if they are a proper prefix of one, -1 if of none */
    private int match() {
        boolean prefix = false;
        for (int n = 0; n < needles.size(); n++) {
            byte[] needle = needles.get(n);
            if (pendingLength <= needle.length && Arrays.equals(pending, 0, pendingLength, needle, 0, pendingLength)) {
                if (pendingLength == needle.length) {
                    return n;
                }
                prefix = true;
            }
        }
        return prefix ? -2 : -1;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            if (pendingLength > 0) {
                out.write(pending, 0, pendingLength);
                pendingLength = 0;
            }
        } finally {
            out.close();
        }
    }
}
