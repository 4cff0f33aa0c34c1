package io.databasement.restoreworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.databasement.worker.http.InternalHttp;
import io.databasement.worker.resilience.CallPolicy;
import io.databasement.worker.resilience.ServiceCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** An artifact stream that breaks off is picked up again from the last byte read, never twice, never with a gap. */
class ResumingStreamTests {

    private static final byte[] OBJECT = new byte[300_000];

    static {
        new Random(7).nextBytes(OBJECT);
    }

    /** Gives {@code from..cut} of the object, then fails as a reset connection would. */
    private static InputStream breakingAt(long from, int cut) {
        return new InputStream() {
            private int at = (int) from;

            @Override
            public int read() throws IOException {
                if (at >= cut) {
                    throw new IOException("Connection reset");
                }
                return OBJECT[at++] & 0xff;
            }
        };
    }

    @Test
    void aStreamThatBreaksTwiceIsResumedFromWhereItBrokeAndGivesEveryByteOnce() throws Exception {
        List<Long> offsets = new ArrayList<>();
        ResumingStream stream = new ResumingStream("a.sql", breakingAt(0, 100_000), OBJECT.length, offset -> {
            offsets.add(offset);
            return offsets.size() == 1 ? breakingAt(offset, 250_000)
                    : new ByteArrayInputStream(Arrays.copyOfRange(OBJECT, (int) offset, OBJECT.length));
        });
        assertThat(stream.readAllBytes()).isEqualTo(OBJECT);
        assertThat(offsets).containsExactly(100_000L, 250_000L);
        assertThat(stream.resumes()).isEqualTo(2);
    }

    @Test
    void aReopeningThatFailsIsTriedAgainAsTheNextResume() throws Exception {
        List<Long> offsets = new ArrayList<>();
        ResumingStream stream = new ResumingStream("a.sql", breakingAt(0, 100_000), OBJECT.length, offset -> {
            offsets.add(offset);
            if (offsets.size() < 3) {
                throw new IOException("storage-service could not be reached");
            }
            return new ByteArrayInputStream(Arrays.copyOfRange(OBJECT, (int) offset, OBJECT.length));
        });
        assertThat(stream.readAllBytes()).isEqualTo(OBJECT);
        assertThat(offsets).containsExactly(100_000L, 100_000L, 100_000L);
    }

    @Test
    void aCloseWakesAResumeWaitingForStorageAndLeavesNoInterruptBehind() throws Exception {
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        ResumingStream stream = new ResumingStream("a.sql", breakingAt(0, 10), OBJECT.length, offset -> {
            waiting.countDown();
            try {
                Thread.sleep(60_000); // storage down: the storage call sits in its backoff
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while resuming");
            }
            return new ByteArrayInputStream(new byte[0]);
        });
        java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean interruptLeft = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                stream.readAllBytes();
            } catch (IOException e) {
                ended.set(e);
            }
            interruptLeft.set(Thread.currentThread().isInterrupted());
        });
        reader.start();
        assertThat(waiting.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        stream.close();
        reader.join(5_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(ended.get()).isInstanceOf(IOException.class).hasMessageContaining("closed while resuming");
        assertThat(interruptLeft).as("the job thread can still drop its staging database and report").isFalse();
    }

    @Test
    void anEndBeforeTheAnnouncedLengthIsABreakToo() throws Exception {
        ResumingStream stream = new ResumingStream("a.sql", new ByteArrayInputStream(Arrays.copyOf(OBJECT, 1000)),
                OBJECT.length, offset -> new ByteArrayInputStream(Arrays.copyOfRange(OBJECT, (int) offset, OBJECT.length)));
        assertThat(stream.readAllBytes()).isEqualTo(OBJECT);
        assertThat(stream.resumes()).isEqualTo(1);
    }

    @Test
    void itGivesUpAfterFiveResumesAndAfterACloseAtOnce() throws Exception {
        ResumingStream hopeless = new ResumingStream("a.sql", breakingAt(0, 10), OBJECT.length,
                offset -> breakingAt(offset, (int) offset));
        assertThatThrownBy(hopeless::readAllBytes).isInstanceOf(IOException.class).hasMessage("Connection reset");
        assertThat(hopeless.resumes()).isEqualTo(ResumingStream.MAX_RESUMES);

        ResumingStream closed = new ResumingStream("a.sql", breakingAt(0, 10), OBJECT.length, offset -> {
            throw new AssertionError("a closed stream is not resumed");
        });
        closed.close();
        assertThatThrownBy(closed::readAllBytes).isInstanceOf(IOException.class);
        assertThat(closed.resumes()).isZero();
    }

    @Test
    void storageCuttingTheDownloadMidwayIsAskedForTheRestWithARange() throws Exception {
        List<String> ranges = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            if (range == null) {
                // announces the whole object, sends a third of it, and drops the connection
                exchange.sendResponseHeaders(200, OBJECT.length);
                exchange.getResponseBody().write(OBJECT, 0, 100_000);
                // fewer bytes than announced: the server closes the connection, as a crashing storage would
                exchange.close();
                return;
            }
            int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            exchange.sendResponseHeaders(206, OBJECT.length - from);
            exchange.getResponseBody().write(OBJECT, from, OBJECT.length - from);
            exchange.close();
        });
        server.start();
        try {
            CallPolicy fast = new CallPolicy(5, Duration.ofMillis(20), Duration.ofMillis(50), 0.2, 50, 10, 5, Duration.ofSeconds(1), 1);
            StorageServiceClient client = new StorageServiceClient(new InternalHttp(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "t", JsonMapper.builder().build()),
                    ServiceCalls.create("storage", fast, new SimpleMeterRegistry()));
            try (InputStream in = client.open(UUID.randomUUID(), "pg/shop/a.sql")) {
                assertThat(in.readAllBytes()).isEqualTo(OBJECT);
            }
        } finally {
            server.stop(0);
        }
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isEqualTo("null");
        assertThat(ranges.get(1)).startsWith("bytes=").endsWith("-").isNotEqualTo("bytes=0-");
    }
}
