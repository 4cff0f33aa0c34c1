package io.databasement.restoreworker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An artifact's bytes that survive a broken connection: when the stream breaks off (storage-service restarted, the
 * connection was reset) or ends before its announced length, the rest is asked for again from the last byte read on
 * ({@code Range: bytes=<offset>-}), at most {@link #MAX_RESUMES} times (a reopening that fails after the storage
 * call's own retries counts as one). Objects never change once written, and the
 * restore checks the SHA-256 of all it read, so a resumed stream is as trustworthy as an unbroken one.
 */
final class ResumingStream extends InputStream {

    static final int MAX_RESUMES = 5;
    private static final Logger log = LoggerFactory.getLogger(ResumingStream.class);

    /** Opens the object again from {@code offset}. */
    @FunctionalInterface
    interface Reopen {
        InputStream from(long offset) throws IOException;
    }

    private final String what;
    /** The object's size as its first answer announced it; -1 if unknown. */
    private final long length;
    private final Reopen reopen;
    private InputStream in;
    private long position;
    private int resumes;
    private volatile boolean closed;
    /** The thread waiting for storage to answer a resume, which a close wakes up; null otherwise. */
    private Thread reopening;

    ResumingStream(String what, InputStream first, long length, Reopen reopen) {
        this.what = what;
        this.in = first;
        this.length = length;
        this.reopen = reopen;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            IOException broken;
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    position += n;
                    return n;
                }
                if (n < 0 && (length < 0 || position >= length)) {
                    return -1;
                }
                broken = new IOException("the stream ended after " + position + " of " + length + " bytes");
            } catch (IOException e) {
                broken = e;
            }
            if (closed || broken instanceof InterruptedIOException || Thread.currentThread().isInterrupted()
                    || resumes >= MAX_RESUMES) {
                throw broken;
            }
            resumes++;
            log.warn("{}: reading broke off after {} bytes ({}); resuming from there ({} of {})", what, position,
                    broken.getMessage(), resumes, MAX_RESUMES);
            closeQuietly(in);
            synchronized (this) {
                reopening = Thread.currentThread();
            }
            try {
                in = reopen.from(position);
            } catch (InterruptedIOException e) {
                if (!closed) {
                    throw e;
                }
                in = failing(e);
            } catch (IOException e) {
                // storage is still away after the call's own retries: the next round counts as another resume
                in = failing(e);
            } finally {
                synchronized (this) {
                    reopening = null;
                }
            }
            if (closed) {
                // closed while it waited for storage (a cancel): the wake-up interrupt was ours, not the job's
                Thread.interrupted();
                closeQuietly(in);
                throw new IOException(what + ": closed while resuming");
            }
        }
    }

    /** A stream whose every read fails with {@code e}. */
    private static InputStream failing(IOException e) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw e;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw e;
            }
        };
    }

    /** How many times the stream was opened again. */
    int resumes() {
        return resumes;
    }

    /** Also stops a resume that waits for storage (a cancelled restore does not sit out an outage). */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
            if (reopening != null) {
                reopening.interrupt();
            }
        }
        in.close();
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // it broke already
        }
    }
}
