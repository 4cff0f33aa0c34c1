package io.databasement.worker.stream;

import io.databasement.worker.trace.JobContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stream on a thread of its own into a few reused buffers and hands them over in order, so that reading (a
 * tool's stdout, a download) runs while the consumer compresses or decompresses what came before. On two cores a
 * pipeline whose stages take turns on one thread costs the sum of the stages; this makes it cost the slowest one.
 * <p>
 * Memory is bounded by {@code buffers × bufferSize}: the reader waits for a buffer the consumer gave back
 * ({@link #release}), so a slow consumer slows the reading down (and with it the tool or the download) instead of
 * piling bytes up. A read fills a buffer only with what the stream already has, so a slow stream is handed over as it
 * trickles in rather than when a buffer is full.
 * <p>
 * A failure of the reading thread (the stream's or the observer's) ends the sequence: {@link #next} throws it to the
 * consumer. A consumer that fails or gives up {@link #close closes}; the reader then stops at its next wait. A read
 * blocked in the stream itself ends only when the stream does: the owner kills the tool or closes the download first.
 */
public final class ReadAhead implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);
    /** How long {@link #close} waits for the reader; it only waits that long if its stream was left open. */
    private static final long JOIN_MILLIS = 10_000;
    private static final Chunk END = new Chunk(new byte[0], 0);

    /** Sees every chunk on the reading thread before it is handed over: counts, digests, watching the text. */
    @FunctionalInterface
    public interface Observer {
        void accept(byte[] bytes, int length);
    }

    /** The first {@code length} bytes of {@code bytes}; the buffer goes back with {@link #release}. */
    public record Chunk(byte[] bytes, int length) {
    }

    private final InputStream source;
    private final Observer observer;
    private final int bufferSize;
    private final int buffers;
    private final BlockingQueue<byte[]> free;
    /** One place more than there are buffers: the end mark always fits. */
    private final BlockingQueue<Chunk> filled;
    private final Thread reader;
    private volatile Throwable failure;
    private volatile boolean closed;
    /** Reader's own. */
    private int allocated;
    private boolean sourceEnded;
    /** Consumer's own. */
    private boolean ended;

    /** Starts reading at once. */
    public ReadAhead(InputStream source, int bufferSize, int buffers, Observer observer, String threadName) {
        if (bufferSize < 1 || buffers < 1) {
            throw new IllegalArgumentException("bufferSize and buffers must be positive");
        }
        this.source = source;
        this.observer = observer;
        this.bufferSize = bufferSize;
        this.buffers = buffers;
        this.free = new ArrayBlockingQueue<>(buffers);
        this.filled = new ArrayBlockingQueue<>(buffers + 1);
        this.reader = new Thread(JobContext.wrap((Runnable) this::read), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!closed) {
                byte[] buffer = takeBuffer();
                int n = fill(buffer);
                if (n < 0) {
                    break;
                }
                observer.accept(buffer, n);
                filled.put(new Chunk(buffer, n));
            }
        } catch (InterruptedException e) {
            // closed: nobody waits for the end mark
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            filled.offer(END);
        }
    }

    private byte[] takeBuffer() throws InterruptedException {
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (allocated < buffers) {
            allocated++;
            return new byte[bufferSize];
        }
        return free.take();
    }

    /** @return bytes read into {@code buffer}, -1 at the end of the stream */
    private int fill(byte[] buffer) throws IOException {
        int n = 0;
        while (n < buffer.length && !sourceEnded) {
            int read = source.read(buffer, n, buffer.length - n);
            if (read < 0) {
                sourceEnded = true;
            } else {
                n += read;
                if (nothingWaiting()) {
                    break;
                }
            }
        }
        return n == 0 && sourceEnded ? -1 : n;
    }

    private boolean nothingWaiting() {
        try {
            return source.available() <= 0;
        } catch (IOException e) {
            return true; // the next read says what is wrong
        }
    }

    /**
     * The next chunk in order; blocks while the reader is behind.
     *
     * @return null after the last chunk
     * @throws IOException what the stream threw (a RuntimeException or Error of the reading thread is thrown as is)
     */
    public Chunk next() throws IOException {
        if (!ended) {
            Chunk chunk;
            try {
                chunk = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + reader.getName());
            }
            if (chunk != END) {
                return chunk;
            }
            ended = true;
        }
        Throwable failed = failure;
        if (failed instanceof IOException e) {
            throw e;
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        return null;
    }

    /** Gives a chunk's buffer back for the reader to fill again. */
    public void release(Chunk chunk) {
        free.offer(chunk.bytes());
    }

    /** Reads the rest, for what the observer does with it (a digest over every byte), and drops it. */
    public void drain() throws IOException {
        for (Chunk chunk; (chunk = next()) != null; ) {
            release(chunk);
        }
    }

    /**
     * The chunks as one stream, each released once read past. Closing it changes nothing (a decompressor closes
     * its input when it ends; what is left may still be {@link #drain drained}).
     */
    public InputStream asStream() {
        return new InputStream() {
            private Chunk current;
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (current == null || position == current.length()) {
                    if (current != null) {
                        release(current);
                        current = null;
                    }
                    current = next();
                    position = 0;
                    if (current == null) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length() - position);
                System.arraycopy(current.bytes(), position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    /**
     * Stops the reader and waits for it to end. Its stream must already be ended (tool killed, download closed) or
     * read to its end; otherwise the wait gives up after a while and the thread is left to end with the stream.
     */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        try {
            reader.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reader.isAlive()) {
            log.warn("{} is still blocked reading its stream {} ms after it was closed", reader.getName(), JOIN_MILLIS);
        }
        filled.clear();
        free.clear();
    }

    /** Whether the reading thread has ended. */
    public boolean readerEnded() {
        return !reader.isAlive();
    }
}
