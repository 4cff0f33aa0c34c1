package io.databasement.engines.stats;

import io.databasement.contracts.TableStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/** Feeds dump text to a collector in chunks of a given size. */
final class DumpFeeding {

    static List<TableStats> statsOf(Supplier<TableStatsCollector> collectors, byte[] dump, int chunk) {
        TableStatsCollector collector = collectors.get();
        // a fresh array per chunk at an odd offset: the collector must not rely on offsets or keep references
        for (int at = 0; at < dump.length; at += chunk) {
            int n = Math.min(chunk, dump.length - at);
            byte[] piece = new byte[n + 3];
            System.arraycopy(dump, at, piece, 3, n);
            collector.feed(piece, 3, n);
        }
        return collector.finish();
    }

    static List<TableStats> statsOf(Supplier<TableStatsCollector> collectors, String dump) {
        byte[] bytes = dump.getBytes(StandardCharsets.UTF_8);
        return statsOf(collectors, bytes, bytes.length);
    }

    static byte[] resource(String name) {
        try (InputStream in = DumpFeeding.class.getResourceAsStream("/dumps/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checksum of rows given as their dump text. */
    static String checksumOf(String... rows) {
        long sum = 0;
        for (String row : rows) {
            sum += Xxh64Tests.hash(row);
        }
        return RowTally.hex(sum);
    }

    private DumpFeeding() {
    }
}
