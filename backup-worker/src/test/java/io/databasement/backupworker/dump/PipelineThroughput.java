package io.databasement.backupworker.dump;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import com.github.luben.zstd.RecyclingBufferPool;
import io.databasement.backupworker.storage.ArtifactSink;
import io.databasement.contracts.Compression;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.Engines;
import io.databasement.engines.ToolInvocation;
import io.databasement.engines.stats.TableStatsCollector;
import io.databasement.worker.cancel.JobCancellation;
import io.databasement.worker.tool.TrailerWatcher;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * On-demand measurement (not a test): a plain-SQL dump file (e.g. {@code pg_dump db > /tmp/dump.sql}) goes through
 * {@link DumpStreamer} exactly as a dump does ({@code cat} stands in for pg_dump) into storage that discards the parts;
 * then each stage alone on the file held in memory. Prints MB/s and CPU time (the process's and each thread's,
 * sampled). Run with the test classpath and {@code -Xmx2g}:
 * {@code java -cp ... io.databasement.backupworker.dump.PipelineThroughput /tmp/dump.sql 3 [level]}.
 */
public final class PipelineThroughput {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        int level = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        DatabaseEngine engine = Engines.forType("postgresql").orElseThrow();
        long size = Files.size(file);
        ToolInvocation cat = new ToolInvocation(List.of("cat", file.toString()), Map.of(), "cat");
        DumpStreamer streamer = new DumpStreamer(new DiscardingSink(), new DumpStreamer.Settings(16 * 1024 * 1024, 2));
        streamer.run(cat, engine, Compression.ZSTD, level, "warm-up", new StreamCounters(), null,
                JobCancellation.detached(UUID.randomUUID())); // JIT warm-up
        for (int i = 0; i < runs; i++) {
            CpuSampler sampler = new CpuSampler();
            sampler.start();
            long cpu = processCpu();
            long wall = System.nanoTime();
            DumpResult result = streamer.run(cat, engine, Compression.ZSTD, level, "run-" + i, new StreamCounters(), null,
                    JobCancellation.detached(UUID.randomUUID()));
            long ms = (System.nanoTime() - wall) / 1_000_000;
            long cpuMs = (processCpu() - cpu) / 1_000_000;
            sampler.stop();
            System.out.printf("pipeline level %d: %d MB -> %d MB in %d ms = %d MB/s, process cpu %d ms (%.2f cores) threads %s%n",
                    level, result.rawBytes() >> 20, result.sizeBytes() >> 20, ms, (size >> 20) * 1000 / Math.max(ms, 1), cpuMs,
                    (double) cpuMs / Math.max(ms, 1), sampler.byName());
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < 2; i++) {
            stageAlone("trailer", bytes, () -> {
                TrailerWatcher trailer = new TrailerWatcher(engine);
                return trailer::feed;
            });
            stageAlone("table stats", bytes, () -> {
                TableStatsCollector tables = engine.tableStatsCollector();
                return tables::feed;
            });
            stageAlone("zstd -" + level, bytes, () -> {
                ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(OutputStream.nullOutputStream(),
                        RecyclingBufferPool.INSTANCE).setLevel(level).setLong(0).setWorkers(1);
                return (b, off, len) -> {
                    try {
                        z.write(b, off, len);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                };
            });
            stageAlone("sha-256", bytes, () -> {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                return sha::update;
            });
        }
    }

    private interface Feed {
        void feed(byte[] b, int off, int len);
    }

    private interface FeedMaker {
        Feed make() throws Exception;
    }

    private static void stageAlone(String name, byte[] bytes, FeedMaker maker) throws Exception {
        Feed feed = maker.make();
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int at = 0; at < bytes.length; at += 256 * 1024) {
            feed.feed(bytes, at, Math.min(256 * 1024, bytes.length - at));
        }
        long ms = (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000;
        System.out.printf("  alone: %-12s %4d MB/s of raw dump (%d ms cpu)%n", name, (bytes.length >> 20) * 1000L / Math.max(ms, 1), ms);
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Each thread's CPU time, sampled every 20 ms (a thread's last 20 ms may be missed), summed by name prefix. */
    private static final class CpuSampler {
        private final Map<Long, Long> cpuById = new ConcurrentHashMap<>();
        private final Map<Long, String> nameById = new ConcurrentHashMap<>();
        private final Map<Long, Long> startById = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private final Thread thread = new Thread(this::sample, "cpu-sampler");

        CpuSampler() {
            for (long id : THREADS.getAllThreadIds()) {
                startById.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
            }
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            while (running) {
                for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                    if (info == null) {
                        continue;
                    }
                    long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                    if (cpu > 0) {
                        cpuById.put(info.getThreadId(), cpu);
                        nameById.putIfAbsent(info.getThreadId(), info.getThreadName());
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        Map<String, Long> byName() {
            Map<String, Long> ms = new TreeMap<>();
            cpuById.forEach((id, cpu) -> {
                long used = (cpu - startById.getOrDefault(id, 0L)) / 1_000_000;
                if (used >= 20 && !nameById.get(id).equals("cpu-sampler")) {
                    ms.merge(nameById.get(id).replaceAll("-run-\\d+|-\\d+$", ""), used, Long::sum);
                }
            });
            return ms;
        }
    }

    /** Storage that accepts every part and keeps none. */
    private static final class DiscardingSink implements ArtifactSink {
        @Override
        public String begin(UUID volumeId, String key) {
            return "discarded";
        }

        @Override
        public PartReceipt putPart(String uploadId, int partNumber, byte[] buffer, int length, String sha256Hex) {
            return new PartReceipt(partNumber, "etag", length);
        }

        @Override
        public StoredObject complete(String uploadId, List<PartReceipt> parts, String sha256Hex) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abort(String uploadId) {
        }
    }

    private PipelineThroughput() {
    }
}
