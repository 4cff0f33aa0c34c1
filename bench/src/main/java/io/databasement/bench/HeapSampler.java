package io.databasement.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Peak Java heap of a service while a job runs, read with {@code jstat -gc} from the JVM's shared performance
 * counters: the service does no work for it (an actuator scrape every 200 ms would cost it CPU and skew the
 * CPU ratio).
 */
final class HeapSampler implements AutoCloseable {

    private final Process jstat;
    private final Thread reader;
    private volatile long peakUsed;
    private volatile long peakOld;
    private final java.util.concurrent.CountDownLatch firstSample = new java.util.concurrent.CountDownLatch(1);

    HeapSampler(long pid, int intervalMillis) {
        try {
            jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), Integer.toString(intervalMillis))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jstat (it comes with the JDK): " + e, e);
        }
        reader = new Thread(this::read, "jstat-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> header = null;
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 0 && f[0].equals("S0C")) {
                    header = Arrays.asList(f);
                    continue;
                }
                if (header == null || f.length != header.size()) {
                    continue;
                }
                double used = value(header, f, "S0U") + value(header, f, "S1U") + value(header, f, "EU") + value(header, f, "OU");
                peakUsed = Math.max(peakUsed, (long) (used * 1024));
                firstSample.countDown();
                peakOld = Math.max(peakOld, (long) (value(header, f, "OU") * 1024));
            }
        } catch (IOException | NumberFormatException e) {
            // the sampler stops; the peaks so far stand
        }
    }

    private static double value(List<String> header, String[] f, String column) {
        int i = header.indexOf(column);
        return i < 0 ? 0 : Double.parseDouble(f[i]);
    }

    /**
     * Waits until jstat (a JVM of its own) has started and sampled once: its start costs a core for half a second,
     * which must not overlap the job being measured.
     */
    HeapSampler awaitFirstSample() {
        try {
            if (!firstSample.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("jstat printed no sample within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return this;
    }

    /** Highest young + old occupancy seen (garbage included: the heap a worker actually needed room for). */
    long peakUsedBytes() {
        return peakUsed;
    }

    /** Highest old-generation occupancy: what survived young collections (the part buffers live here). */
    long peakOldBytes() {
        return peakOld;
    }

    @Override
    public void close() {
        jstat.destroy();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
