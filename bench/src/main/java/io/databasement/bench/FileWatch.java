package io.databasement.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Which files the worker and storage-service have open for writing while a job runs, from /proc/&lt;pid&gt;/fd and
 * fdinfo every 100 ms: any file other than their logs and the artifact on the volume is a temporary file, and its
 * largest size seen counts. (The kernel's write_bytes cannot tell: it counts log lines and the JVM's perf-counter
 * page in whole 4 KiB pages.)
 */
final class FileWatch implements AutoCloseable {

    private final List<Long> pids;
    private final List<Path> allowed;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param allowed folders whose files are not temporary (the logs, the volume) */
    FileWatch(List<Long> pids, List<Path> allowed) {
        this.pids = pids;
        this.allowed = allowed.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.thread = new Thread(this::watch, "file-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            pids.forEach(this::look);
            Bench.sleep(100);
        }
    }

    private void look(long pid) {
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (Stream<Path> list = Files.list(fds)) {
            list.forEach(fd -> {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    String t = target.toString();
                    if (!t.startsWith("/") || t.startsWith("/proc/") || t.startsWith("/dev/") || t.endsWith(".jar")
                            || t.contains("/hsperfdata_") || allowed.stream().anyMatch(target::startsWith)
                            || !writable(pid, fd.getFileName().toString()) || !Files.isRegularFile(target)) {
                        return;
                    }
                    seen.merge(t, Files.size(target), Math::max);
                } catch (IOException | RuntimeException gone) {
                    // closed between the listing and the look
                }
            });
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
    }

    private static boolean writable(long pid, String fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", fd))) {
            if (line.startsWith("flags:")) {
                int flags = Integer.parseInt(line.substring(6).trim(), 8);
                return (flags & 3) != 0; // O_WRONLY or O_RDWR
            }
        }
        return false;
    }

    /** Largest size seen of each temporary file. */
    Map<String, Long> files() {
        return Map.copyOf(seen);
    }

    long bytes() {
        return seen.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
