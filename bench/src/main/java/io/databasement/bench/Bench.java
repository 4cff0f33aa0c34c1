package io.databasement.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark of issue #8: Databasement's snapshot and restore through the real path (REST → catalog → Kafka →
 * worker → storage-service → volume) side by side with {@code pg_dump | zstd -3} and {@code zstd -dc | psql} on the
 * same databases in the same run, plus the temp-file pipeline for contrast, dispatch latency and scale-out.
 * {@code bench/run} builds it and starts the system; see bench/README.md.
 */
public final class Bench {

    static final String SERVER_PG = "bench-postgres";
    static final String SERVER_MARIADB = "bench-mariadb";
    static final String VOLUME = "bench-local";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(30);

    private final Options options;
    private final Shell shell = new Shell(Map.of("PGHOST", "127.0.0.1", "PGPORT", "5432", "PGUSER", "postgres"));
    private final Stack stack;
    private final Workloads workloads;
    private final Api api;
    private final Path work;
    private final Results results;
    private String pgServer;
    private String mariaServer;
    private String volume;

    Bench(Options options) {
        this.options = options;
        this.stack = new Stack(options.root(), shell);
        this.workloads = new Workloads(shell);
        this.api = new Api(URI.create(options.gateway()), stack.adminToken());
        this.work = options.root().resolve("bench/work");
        this.results = new Results(options);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        new Bench(options).run();
    }

    void run() throws IOException {
        Files.createDirectories(work.resolve("volume"));
        Files.createDirectories(work.resolve("tmp"));
        long t0 = System.nanoTime();
        say("registering the bench server(s) and volume through the API");
        pgServer = findOrCreate("servers", SERVER_PG, Map.of("name", SERVER_PG, "type", "postgresql", "host", "127.0.0.1",
                "port", 5432, "username", "postgres", "password", "postgres"));
        // a volume per checkout: another clone's (CI's, say) has its folder elsewhere, and what the bench writes there
        // would count as temporary files here
        String volumeName = VOLUME + "-" + Integer.toHexString(work.toAbsolutePath().normalize().toString().hashCode());
        volume = findOrCreate("volumes", volumeName, Map.of("name", volumeName, "type", "local",
                "path", work.resolve("volume").toString()));
        String w1 = "bench_w1_" + sizeLabel(options.sizeBytes());
        String w1Small = "bench_w1_" + sizeLabel(options.sizeBytes() / 4);
        String w3 = "bench_w3_10mb";
        String w4 = "bench_w4_1000t";
        String w1m = "bench_w1m_" + sizeLabel(options.mariaDbBytes());
        say("generating or reusing the workloads (seeded; kept between runs)");
        boolean dumps = options.runs("backups") || options.runs("restores");
        timedSetup("W3 " + w3, () -> workloads.realisticPostgres(w3, 10L * 1024 * 1024));
        timedSetup("tiny", () -> workloads.tinyPostgres("bench_tiny"));
        if (dumps) {
            timedSetup("W1 " + w1, () -> workloads.realisticPostgres(w1, options.sizeBytes()));
            timedSetup("W1 small " + w1Small, () -> workloads.realisticPostgres(w1Small, options.sizeBytes() / 4));
            timedSetup("W4 " + w4, () -> workloads.manyTablesPostgres(w4, 1000));
            results.workload("W1", w1, workloads.postgresSize(w1));
            results.workload("W1 small", w1Small, workloads.postgresSize(w1Small));
            results.workload("W4", w4, workloads.postgresSize(w4));
        }
        results.workload("W3", w3, workloads.postgresSize(w3));
        if (options.mariaDb() && dumps) {
            mariaServer = findOrCreate("servers", SERVER_MARIADB, Map.of("name", SERVER_MARIADB, "type", "mariadb",
                    "host", "127.0.0.1", "port", 3306, "username", "root", "password", ""));
            timedSetup("W1m " + w1m, () -> workloads.realisticMariaDb(w1m, options.mariaDbBytes()));
            results.workload("W1m", w1m, workloads.mariaDbSize(w1m));
        }

        ScaleOut scaleOut = options.scaleOut() && options.runs("scale-out") ? new ScaleOut(this) : null;
        String heapOpts = "-Xms64m -Xmx" + options.heapBoundMiB() + "m -XX:+UseSerialGC";
        say("backup-worker restarted with its heap bound as its maximum: " + heapOpts);
        stack.scale("backup-worker", 0, null);
        stack.scale("backup-worker", 1, heapOpts);
        try {
            warmUp(w3);
            Map<String, String> snapshots = new LinkedHashMap<>();
            if (dumps) {
                snapshots.put("W1", backups("W1", w1, Engine.POSTGRES, true));
                snapshots.put("W3", backups("W3", w3, Engine.POSTGRES, false));
                snapshots.put("W4", backups("W4", w4, Engine.POSTGRES, false));
                memoryAtSize("W1 small", w1Small);
                if (options.mariaDb()) {
                    snapshots.put("W1m", backups("W1m", w1m, Engine.MARIADB, true));
                }
            }
            if (options.runs("restores")) {
                restores("W1", w1, Engine.POSTGRES, snapshots.get("W1"));
                restores("W3", w3, Engine.POSTGRES, snapshots.get("W3"));
                restores("W4", w4, Engine.POSTGRES, snapshots.get("W4"));
                if (options.mariaDb()) {
                    restores("W1m", w1m, Engine.MARIADB, snapshots.get("W1m"));
                }
            }
            if (options.runs("dispatch")) {
                dispatch();
            }
            if (scaleOut != null) {
                scaleOut.prepare();
            }
        } finally {
            if (options.stackStopsAfter()) {
                say("backup-worker keeps -Xmx" + options.heapBoundMiB() + "m: bench/run stops the system it started");
            } else if (options.quick()) {
                say("backup-worker keeps -Xmx" + options.heapBoundMiB() + "m (restart it with its usual options:"
                        + " ./dbm scale backup-worker 0 && ./dbm scale backup-worker 1)");
            } else {
                say("backup-worker back to the default JVM options");
                stack.scale("backup-worker", 0, null);
                stack.scale("backup-worker", 1, null);
            }
        }
        if (scaleOut != null) {
            scaleOut.run();
        }
        results.setupSeconds((System.nanoTime() - t0) / 1e9);
        results.write(options.root().resolve("bench/results"), LocalDate.now());
    }

    enum Engine { POSTGRES, MARIADB }

    /**
     * Freshly started services spend their first minutes compiling (C2 alone took half a CPU second of a 100 MB
     * snapshot in storage-service): some untimed jobs first, so the measured ones see services as they run for days.
     */
    private void warmUp(String database) {
        int jobs = options.quick() ? 8 : 30;
        say("warming up: " + jobs + " untimed snapshots and a restore");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(requestSnapshot(pgServer, i % 3 == 0 ? database : "bench_tiny"));
            awaitEnd("/api/v1/snapshots/" + ids.get(ids.size() - 1), 250);
        }
        String target = database + "_warm";
        drop(Engine.POSTGRES, target);
        awaitEnd("/api/v1/restores/" + requestRestore(ids.get(0), pgServer, target), 250);
        drop(Engine.POSTGRES, target);
        ids.forEach(this::deleteSnapshot);
    }

    /** Baseline, Databasement and the temp-file pipeline, interleaved per repetition; @return the last snapshot's id */
    private String backups(String label, String database, Engine engine, boolean naive) throws IOException {
        say(label + ": backups × " + options.reps() + " (" + (naive ? "zstd CLI, Databasement, temp-file pipeline" : "zstd CLI, Databasement") + ")");
        Path baselineFile = work.resolve("tmp/" + database + ".sql.zst");
        // warm the server's cache and the JVMs for every contestant alike
        baselineBackup(database, engine, baselineFile);
        String warm = snapshot(engine, database).id();
        deleteSnapshot(warm);
        List<Double> baseWall = new ArrayList<>();
        List<Double> baseCpu = new ArrayList<>();
        List<Double> dbmWall = new ArrayList<>();
        List<Double> dbmCpu = new ArrayList<>();
        List<Double> naiveWall = new ArrayList<>();
        List<Double> temp = new ArrayList<>();
        List<Double> writes = new ArrayList<>();
        List<Double> naiveTemp = new ArrayList<>();
        long baseSize = 0;
        SnapshotRun last = null;
        for (int rep = 1; rep <= options.reps(); rep++) {
            Shell.Timed base = baselineBackup(database, engine, baselineFile);
            baseWall.add(base.wallSeconds());
            baseCpu.add(base.cpuSeconds());
            baseSize = Files.size(baselineFile);
            if (last != null) {
                deleteSnapshot(last.id());
            }
            last = snapshot(engine, database);
            dbmWall.add(last.wallSeconds());
            dbmCpu.add(last.cpuSeconds());
            temp.add((double) last.tempBytes());
            writes.add((double) last.extraWrites());
            if (naive) {
                Shell.Timed n = naiveBackup(database, engine, rep);
                naiveWall.add(n.wallSeconds());
                naiveTemp.add((double) naiveTempBytes);
            }
            say(String.format("  rep %d: zstd CLI %.2f s (cpu %.2f s) · Databasement %.2f s (cpu %.2f s, temp %d B)%s", rep,
                    base.wallSeconds(), base.cpuSeconds(), last.wallSeconds(), last.cpuSeconds(), last.tempBytes(),
                    naive ? String.format(" · temp-file pipeline %.2f s", naiveWall.get(rep - 1)) : ""));
        }
        Results.Backup b = new Results.Backup(label, database, Stats.of(baseWall), Stats.of(baseCpu), Stats.of(dbmWall),
                Stats.of(dbmCpu), baseSize, last.sizeBytes(), last.rawBytes(), Stats.of(temp), Stats.of(writes),
                naive ? Stats.of(naiveWall) : null, naive ? Stats.of(naiveTemp) : null, last.workerHeap(), last.workerOld(),
                last.workerRss(), last.storageHeap(), last.storageRss());
        results.backup(b);
        return last.id();
    }

    /** The worker's heap at a second size of W1: the bound must not grow with the database. */
    private void memoryAtSize(String label, String database) {
        say(label + ": one snapshot for the worker's memory at a quarter of W1's size");
        SnapshotRun run = snapshot(Engine.POSTGRES, database);
        results.memory(new Results.Memory(label, database, run.rawBytes(), run.workerHeap(), run.workerOld(), run.workerRss()));
        deleteSnapshot(run.id());
    }

    Shell.Timed baselineBackup(String database, Engine engine, Path file) {
        if (engine == Engine.POSTGRES) {
            return shell.timed("pg_dump --no-owner --no-privileges --clean --if-exists -d \"$1\" | zstd -3 -q > \"$2\"",
                    database, file.toString());
        }
        return shell.timed("mariadb-dump --protocol=tcp -h 127.0.0.1 -P 3306 -u root --single-transaction --routines --triggers"
                + " --events --hex-blob \"$1\" | zstd -3 -q > \"$2\"", database, file.toString());
    }

    private long naiveTempBytes;

    /** What peers do: dump to a file, compress the file, then upload (copy into the volume's folder). */
    private Shell.Timed naiveBackup(String database, Engine engine, int rep) throws IOException {
        Path dir = work.resolve("tmp/naive");
        Files.createDirectories(dir);
        String dump = engine == Engine.POSTGRES
                ? "pg_dump --no-owner --no-privileges --clean --if-exists -d \"$1\" -f \"$2/dump.sql\""
                : "mariadb-dump --protocol=tcp -h 127.0.0.1 -P 3306 -u root --single-transaction --routines --triggers"
                        + " --events --hex-blob \"$1\" > \"$2/dump.sql\"";
        Shell.Timed t = shell.timed(dump + "; stat -c %s \"$2/dump.sql\" > \"$2/sizes\"; zstd -3 -q --rm \"$2/dump.sql\" -o \"$2/dump.sql.zst\";"
                + " stat -c %s \"$2/dump.sql.zst\" >> \"$2/sizes\"; mkdir -p \"$3\"; cp \"$2/dump.sql.zst\" \"$3/naive-$4.sql.zst\"; sync \"$3/naive-$4.sql.zst\";"
                + " rm -f \"$2/dump.sql.zst\" \"$3/naive-$4.sql.zst\"",
                database, dir.toString(), work.resolve("volume/naive").toString(), Integer.toString(rep));
        naiveTempBytes = Files.readAllLines(dir.resolve("sizes")).stream().mapToLong(Long::parseLong).sum();
        return t;
    }

    /**
     * @param tempBytes   sizes of files the worker and storage-service wrote besides their logs and the artifact
     * @param extraWrites the kernel's write_bytes of both beyond log growth and the artifact (page-granular, so a few
     *                    KiB of log lines and perf counters show up here; a temporary file of the dump would be MiBs)
     */
    record SnapshotRun(String id, double wallSeconds, double cpuSeconds, long sizeBytes, long rawBytes, long tempBytes,
                       long extraWrites, long workerHeap, long workerOld, long workerRss, long storageHeap, long storageRss) {
    }

    /** A Databasement snapshot through the API, with the worker's and storage-service's costs while it ran. */
    SnapshotRun snapshot(Engine engine, String database) {
        long worker = stack.pid("backup-worker");
        long storage = stack.pid("storage-service");
        ProcStats.resetPeak(worker);
        ProcStats.resetPeak(storage);
        JsonNode done;
        Instant posted;
        try (HeapSampler workerHeap = new HeapSampler(worker, 100); HeapSampler storageHeap = new HeapSampler(storage, 100);
             FileWatch files = new FileWatch(List.of(worker, storage), List.of(stack.log("backup-worker").getParent(), work.resolve("volume")))) {
            workerHeap.awaitFirstSample();
            storageHeap.awaitFirstSample();
            double cpu0 = ProcStats.cpuSeconds(worker) + ProcStats.cpuSeconds(storage);
            long workerWrites0 = ProcStats.diskWrites(worker) - stack.logBytes("backup-worker");
            long storageWrites0 = ProcStats.diskWrites(storage) - stack.logBytes("storage-service");
            posted = Instant.now();
            done = awaitEnd("/api/v1/snapshots/" + requestSnapshot(engine == Engine.POSTGRES ? pgServer : mariaServer, database), 250);
            double cpu = ProcStats.cpuSeconds(worker) + ProcStats.cpuSeconds(storage) - cpu0;
            long size = done.get("sizeBytes").asLong();
            // the log is the one file a worker may write; storage's only other file is the artifact itself
            long workerWrites = ProcStats.diskWrites(worker) - stack.logBytes("backup-worker") - workerWrites0;
            long storageWrites = ProcStats.diskWrites(storage) - stack.logBytes("storage-service") - storageWrites0 - size;
            double wall = Duration.between(posted, Api.instant(done, "completedAt")).toNanos() / 1e9;
            if (files.bytes() > 0) {
                say("  temporary files written: " + files.files());
            }
            return new SnapshotRun(done.get("id").asString(), wall, cpu, size, done.get("rawSizeBytes").asLong(), files.bytes(),
                    Math.max(0, workerWrites) + Math.max(0, storageWrites), workerHeap.peakUsedBytes(), workerHeap.peakOldBytes(),
                    ProcStats.peakRss(worker), storageHeap.peakUsedBytes(), ProcStats.peakRss(storage));
        }
    }

    /** A zstd level 3 snapshot to the bench volume; @return its id */
    String requestSnapshot(String serverId, String database) {
        return accepted("/api/v1/snapshots", Map.of("serverId", serverId, "database", database, "volumeId", volume,
                "compression", "zstd", "compressionLevel", 3));
    }

    /** A restore into a new database; @return its id */
    String requestRestore(String snapshotId, String serverId, String targetDatabase) {
        return accepted("/api/v1/restores", Map.of("snapshotId", snapshotId, "targetServerId", serverId, "targetDatabase", targetDatabase));
    }

    private String accepted(String path, Map<String, Object> body) {
        Api.Answer a = api.post(path, body);
        if (a.status() != 202) {
            throw new IllegalStateException("POST " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.body().get("id").asString();
    }

    /**
     * Polls a job until it ends; the wall times come from the job's own timestamps, not from the poll, so a slow
     * poll costs the services nothing.
     */
    JsonNode awaitEnd(String path, long pollMillis) {
        Instant deadline = Instant.now().plus(JOB_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = api.get(path);
            String status = job.get("status").asString();
            if (status.equals("COMPLETED")) {
                return job;
            }
            if (status.equals("FAILED") || status.equals("CANCELLED") || status.equals("REJECTED")) {
                throw new IllegalStateException(path + " ended " + status + ": " + job.path("error").asString());
            }
            sleep(pollMillis);
        }
        throw new IllegalStateException(path + " did not end within " + JOB_TIMEOUT);
    }

    private void restores(String label, String database, Engine engine, String snapshotId) throws IOException {
        // --quick: a restore pair takes 5–20 s (W4's 1000 tables 10 s each); fewer pairs keep the run under 3 minutes
        int reps = options.quick() && label.equals("W4") ? 1 : options.quick() ? 2 : options.reps();
        say(label + ": restores × " + reps + " (zstd -dc | " + (engine == Engine.POSTGRES ? "psql" : "mariadb")
                + ", Databasement)");
        Path baselineFile = work.resolve("tmp/" + database + ".sql.zst");
        String target = database + "_restored";
        List<Double> baseWall = new ArrayList<>();
        List<Double> dbmWall = new ArrayList<>();
        List<Double> dbmCpu = new ArrayList<>();
        List<Double> baseCpu = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            drop(engine, target);
            Shell.Timed base = engine == Engine.POSTGRES
                    ? shell.timed("createdb \"$1\"; zstd -dc \"$2\" | psql -X -q -v ON_ERROR_STOP=1 -d \"$1\" > /dev/null",
                    target, baselineFile.toString())
                    : shell.timed("mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u root -e \"create database \\`$1\\`\";"
                    + " zstd -dc \"$2\" | mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u root --batch --binary-mode \"$1\"",
                    target, baselineFile.toString());
            baseWall.add(base.wallSeconds());
            baseCpu.add(base.cpuSeconds());
            drop(engine, target);
            long worker = stack.pid("restore-worker");
            long storage = stack.pid("storage-service");
            double cpu0 = ProcStats.cpuSeconds(worker) + ProcStats.cpuSeconds(storage);
            Instant posted = Instant.now();
            JsonNode done = awaitEnd("/api/v1/restores/" + requestRestore(snapshotId,
                    engine == Engine.POSTGRES ? pgServer : mariaServer, target), 250);
            double wall = Duration.between(posted, Api.instant(done, "completedAt")).toNanos() / 1e9;
            dbmWall.add(wall);
            dbmCpu.add(ProcStats.cpuSeconds(worker) + ProcStats.cpuSeconds(storage) - cpu0);
            say(String.format("  rep %d: zstd -dc | %s %.2f s · Databasement %.2f s", rep,
                    engine == Engine.POSTGRES ? "psql" : "mariadb", base.wallSeconds(), wall));
        }
        drop(engine, target);
        results.restore(new Results.Restore(label, database, Stats.of(baseWall), Stats.of(baseCpu), Stats.of(dbmWall),
                Stats.of(dbmCpu)));
    }

    /** POST /snapshots → the worker's started report, over tiny jobs one after another. */
    private void dispatch() {
        int jobs = options.dispatchJobs();
        say("dispatch: " + jobs + " tiny snapshots, one after another");
        List<Double> toStart = new ArrayList<>();
        List<Double> toEnd = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Instant posted = Instant.now();
            String id = requestSnapshot(pgServer, "bench_tiny");
            JsonNode done = awaitEnd("/api/v1/snapshots/" + id, 50);
            toStart.add(Duration.between(posted, Api.instant(done, "startedAt")).toNanos() / 1e6);
            toEnd.add(Duration.between(posted, Api.instant(done, "completedAt")).toNanos() / 1e6);
            ids.add(id);
        }
        results.dispatch(Stats.of(toStart), Stats.of(toEnd));
        say(String.format("  POST → worker start: p50 %.1f ms, p99 %.1f ms; POST → COMPLETED p50 %.0f ms",
                Stats.of(toStart).median(), Stats.of(toStart).percentile(99), Stats.of(toEnd).median()));
        ids.forEach(this::deleteSnapshot);
    }

    void drop(Engine engine, String database) {
        if (engine == Engine.POSTGRES) {
            workloads.dropPostgres(database);
        } else {
            workloads.dropMariaDb(database);
        }
    }

    void deleteSnapshot(String id) {
        api.delete("/api/v1/snapshots/" + id);
    }

    String findOrCreate(String collection, String name, Map<String, Object> body) {
        JsonNode list = api.get("/api/v1/" + collection);
        JsonNode items = list.isArray() ? list : list.has("items") ? list.get("items") : list.path("content");
        for (JsonNode item : items) {
            if (name.equals(item.path("name").asString())) {
                return item.get("id").asString();
            }
        }
        Api.Answer a = api.post("/api/v1/" + collection, body);
        if (a.status() != 201 && a.status() != 200) {
            throw new IllegalStateException("POST /api/v1/" + collection + " answered " + a.status() + ": " + a.body());
        }
        // the catalog learns of a new volume from the dbm.volumes topic: give it a moment
        sleep(1000);
        return a.body().get("id").asString();
    }

    private void timedSetup(String what, Runnable step) {
        long t = System.nanoTime();
        step.run();
        say(String.format("  %s ready (%.1f s)", what, (System.nanoTime() - t) / 1e9));
    }

    static String sizeLabel(long bytes) {
        return bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? bytes / (1L << 30) + "gb" : bytes / (1L << 20) + "mb";
    }

    Api api() {
        return api;
    }

    Stack stack() {
        return stack;
    }

    Workloads workloads() {
        return workloads;
    }

    Options options() {
        return options;
    }

    Results results() {
        return results;
    }

    String pgServer() {
        return pgServer;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final long STARTED = System.nanoTime();

    static void say(String line) {
        System.out.printf("[%4.0fs] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
        System.out.flush();
    }
}
