package io.databasement.backupworker.dump;

import com.github.luben.zstd.ZstdOutputStream;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.Endpoint;
import io.databasement.engines.Engines;
import io.databasement.engines.ToolInvocation;
import io.databasement.engines.stats.TableStatsCollector;
import io.databasement.worker.tool.ToolProcess;
import io.databasement.worker.tool.TrailerWatcher;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * On-demand measurement (not a test): the backup's read loop (real dump tool → trailer watch → [table statistics]
 * → zstd level 3 → discarded) with and without the statistics, alternating, plus the collector alone on the
 * dump held in memory. Run with the test classpath:
 * {@code java -cp ... io.databasement.backupworker.dump.TableStatsOverhead postgresql dbm_bench_stats 3}.
 */
public final class TableStatsOverhead {

    public static void main(String[] args) throws Exception {
        String type = args[0];
        String database = args[1];
        int runs = Integer.parseInt(args[2]);
        DatabaseEngine engine = Engines.forType(type).orElseThrow();
        Endpoint endpoint = type.equals("postgresql") ? new Endpoint(type, "127.0.0.1", 5432, "postgres")
                : new Endpoint(type, "127.0.0.1", 3306, "root");
        ToolInvocation dump = engine.dump(endpoint, null, database, engine.probe(endpoint, null));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        pipeline(engine, dump, true, threads); // warm-up
        for (int i = 0; i < runs; i++) {
            for (boolean stats : new boolean[] {false, true}) {
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                long raw = pipeline(engine, dump, stats, threads);
                System.out.printf("%s stats=%-5s raw=%d MB wall=%d ms reader-thread-cpu=%d ms%n", type, stats, raw >> 20,
                        (System.nanoTime() - wall) / 1_000_000, (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ToolProcess p = ToolProcess.startReading(dump, "dump");
        try (InputStream in = p.stdout()) {
            in.transferTo(all);
        }
        p.waitFor();
        byte[] bytes = all.toByteArray();
        for (int i = 0; i < runs + 1; i++) {
            long start = System.nanoTime();
            TableStatsCollector collector = engine.tableStatsCollector();
            for (int at = 0; at < bytes.length; at += 64 * 1024) {
                collector.feed(bytes, at, Math.min(64 * 1024, bytes.length - at));
            }
            var tables = collector.finish();
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%s collector alone: %d MB in %d ms (%d MB/s) %s%n", type, bytes.length >> 20, ms,
                    ms == 0 ? 0 : (bytes.length >> 20) * 1000L / ms, tables);
        }
    }

    private static long pipeline(DatabaseEngine engine, ToolInvocation dump, boolean stats, ThreadMXBean threads) throws Exception {
        ToolProcess process = ToolProcess.startReading(dump, "dump");
        TrailerWatcher trailer = new TrailerWatcher(engine);
        TableStatsCollector tables = engine.tableStatsCollector();
        long raw = 0;
        try (InputStream in = process.stdout(); OutputStream out = new ZstdOutputStream(OutputStream.nullOutputStream(), 3)) {
            byte[] chunk = new byte[64 * 1024];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                raw += n;
                trailer.feed(chunk, 0, n);
                if (stats) {
                    tables.feed(chunk, 0, n);
                }
                out.write(chunk, 0, n);
            }
        }
        if (process.waitFor() != 0 || !trailer.complete()) {
            throw new IllegalStateException("dump failed: " + process.stderr().lastLines());
        }
        return raw;
    }

    private TableStatsOverhead() {
    }
}
