package io.databasement.worker.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReadAheadTests {

    private static final int BUFFER = 4096;
    private static final int BUFFERS = 3;

    @Test
    void theConsumerAndTheObserverSeeEveryByteInOrderWhateverSizesTheStreamReads() throws Exception {
        byte[] bytes = random(1_000_003);
        ByteArrayOutputStream observed = new ByteArrayOutputStream();

        try (ReadAhead ahead = new ReadAhead(new OddReads(bytes), BUFFER, BUFFERS, (b, n) -> observed.write(b, 0, n), "read-ahead-test")) {
            assertThat(ahead.asStream().readAllBytes()).isEqualTo(bytes);
            assertThat(observed.toByteArray()).isEqualTo(bytes);
        }
    }

    @Test
    void aSlowConsumerHoldsTheReaderBackToItsBuffers() throws Exception {
        AtomicLong read = new AtomicLong();
        try (ReadAhead ahead = new ReadAhead(new ByteArrayInputStream(random(1_000_000)), BUFFER, BUFFERS,
                (b, n) -> read.addAndGet(n), "read-ahead-test")) {
            ReadAhead.Chunk first = ahead.next();
            Thread.sleep(300);
            assertThat(read.get()).as("read before the first buffer came back").isEqualTo((long) BUFFER * BUFFERS);
            ahead.release(first);
            ahead.drain();
            assertThat(read.get()).isEqualTo(1_000_000);
        }
    }

    @Test
    void aFailingStreamEndsTheSequenceWithItsErrorAfterWhatItGave() throws Exception {
        byte[] start = random(10_000);
        InputStream breaking = new SequenceInputStream(new ByteArrayInputStream(start), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });

        try (ReadAhead ahead = new ReadAhead(breaking, BUFFER, BUFFERS, (b, n) -> { }, "read-ahead-test")) {
            InputStream in = ahead.asStream();
            byte[] got = in.readNBytes(start.length);
            assertThat(got).isEqualTo(start);
            assertThatThrownBy(in::read).hasMessage("connection reset");
            assertThatThrownBy(ahead::drain).as("and again to whoever asks").hasMessage("connection reset");
        }
    }

    @Test
    void aFailingObserverEndsTheSequenceWithItsError() {
        try (ReadAhead ahead = new ReadAhead(new ByteArrayInputStream(random(100_000)), BUFFER, BUFFERS, (b, n) -> {
            throw new IllegalStateException("observer broke");
        }, "read-ahead-test")) {
            assertThatThrownBy(ahead::drain).isInstanceOf(IllegalStateException.class).hasMessage("observer broke");
        }
    }

    @Test
    void closingStopsAReaderThatWaitsForItsBuffersToComeBack() throws Exception {
        ReadAhead ahead = new ReadAhead(new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        }, BUFFER, BUFFERS, (b, n) -> { }, "read-ahead-test");
        ahead.next();
        Thread.sleep(100);

        ahead.close();

        assertThat(ahead.readerEnded()).isTrue();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Hands out 1 to 9999 bytes per read and claims nothing more is waiting, like a pipe fed in small writes. */
    private static final class OddReads extends InputStream {
        private final byte[] bytes;
        private final Random sizes = new Random(5);
        private int position;

        OddReads(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + sizes.nextInt(9999)), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
