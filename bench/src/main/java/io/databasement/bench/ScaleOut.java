package io.databasement.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Restores of one snapshot into 4 targets with 1, 2 and 4 restore workers, and how soon a worker started while
 * work waits takes some. The restored database is paced (a sleeping CHECK per row), so a restore costs time in the
 * server but almost no CPU: 4 CPU-bound restores cannot run side by side on this machine's 2 cores, and the point
 * here is whether the workers share the work, not how fast psql is. A command waits for the worker that owns its
 * partition (Kafka groups do not steal work), so 4 commands on 2 workers' 12 partitions often meet on one worker:
 * the round says how many workers ran some.
 */
final class ScaleOut {

    static final String SOURCE = "bench_paced";
    static final int TARGETS = 4;

    private final Bench bench;

    ScaleOut(Bench bench) {
        this.bench = bench;
    }

    /** The paced database and its snapshot (while the backup worker runs). */
    void prepare() {
        Options o = bench.options();
        Bench.say("scale-out: the paced database (" + o.pacedRows() + " rows × " + o.pacedRowMillis()
                + " ms of server-side sleep each) and its snapshot");
        bench.workloads().pacedPostgres(SOURCE, o.pacedRows(), o.pacedRowMillis());
        snapshotId = bench.snapshot(Bench.Engine.POSTGRES, SOURCE).id();
    }

    void run() {
        List<Integer> steps = bench.options().quick() ? List.of(1, 2) : List.of(1, 2, 4);
        Bench.say("scale-out: " + TARGETS + " restores of it with " + steps + " restore workers");
        try {
            int running = 1;
            bench.stack().scale("restore-worker", 1, null);
            for (int workers : steps) {
                if (workers > running) {
                    grow(running, workers);
                    running = workers;
                }
                round(workers, TARGETS);
            }
        } finally {
            bench.stack().scale("restore-worker", 1, null);
            for (int i = 1; i <= TARGETS; i++) {
                bench.drop(Bench.Engine.POSTGRES, target(i));
            }
            bench.deleteSnapshot(snapshotId);
        }
    }

    /**
     * Starts replicas {@code from + 1 .. to} and reads from each new one's log when its application had started and
     * when Kafka gave it its share of the command partitions: from then on a waiting command is its work.
     */
    private void grow(int from, int to) {
        Instant launched = Instant.now();
        bench.stack().scale("restore-worker", to, null);
        Instant healthy = Instant.now();
        for (int i = from + 1; i <= to; i++) {
            String name = Stack.replica("restore-worker", i);
            Instant started = null;
            Instant assigned = null;
            Instant deadline = Instant.now().plusSeconds(60);
            while (assigned == null && Instant.now().isBefore(deadline)) {
                started = logTime(name, "Started RestoreWorkerApplication");
                assigned = logTime(name, "restore-worker: partitions assigned: [dbm.restore.commands");
                if (assigned == null) {
                    Bench.sleep(200);
                }
            }
            double boot = started == null ? Double.NaN : Duration.between(launched, started).toNanos() / 1e9;
            double takes = started == null || assigned == null ? Double.NaN : Duration.between(started, assigned).toNanos() / 1e9;
            bench.results().newWorker(new Results.NewWorker(name, boot, Duration.between(launched, healthy).toNanos() / 1e9, takes));
            Bench.say(String.format("  %s: application started %.1f s after its launch; its share of the command partitions %.1f s"
                    + " after that (healthy for ./dbm after %.1f s)", name, boot, takes, Duration.between(launched, healthy).toNanos() / 1e9));
        }
    }

    /** The timestamp of the first line of a replica's log that contains {@code marker}. */
    private Instant logTime(String name, String marker) {
        return firstLine(name, l -> l.contains(marker)).map(l -> Instant.parse(l.substring(0, l.indexOf(' ')))).orElse(null);
    }

    /** The first line of a replica's log that matches (empty while the log does not exist yet). */
    private Optional<String> firstLine(String name, Predicate<String> match) {
        try (Stream<String> lines = Files.lines(bench.stack().log(name))) {
            return lines.filter(match).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private String snapshotId;

    private void round(int workers, int jobs) {
        List<String> ids = post(jobs);
        Instant posted = postedAt;
        List<JsonNode> done = ids.stream().map(id -> bench.awaitEnd("/api/v1/restores/" + id, 250)).toList();
        Instant last = done.stream().map(d -> Api.instant(d, "completedAt")).max(Instant::compareTo).orElseThrow();
        double wall = Duration.between(posted, last).toNanos() / 1e9;
        double longestWait = done.stream().mapToDouble(d -> Duration.between(Api.instant(d, "createdAt"),
                Api.instant(d, "startedAt")).toNanos() / 1e9).max().orElse(0);
        double oneJob = done.stream().mapToDouble(d -> Duration.between(Api.instant(d, "startedAt"),
                Api.instant(d, "completedAt")).toNanos() / 1e9).average().orElse(0);
        long busy = IntStream.rangeClosed(1, workers)
                .filter(i -> ids.stream().anyMatch(id -> logMentions(Stack.replica("restore-worker", i), id))).count();
        bench.results().scaleOut(new Results.ScaleRound(workers, jobs, wall, oneJob, longestWait, (int) busy));
        Bench.say(String.format("  %d worker(s): %d restores in %.1f s (one restore %.1f s; longest wait %.1f s; %d worker(s) ran some)",
                workers, jobs, wall, oneJob, longestWait, busy));
    }

    private boolean logMentions(String name, String jobId) {
        return firstLine(name, l -> l.contains("job " + jobId + ": attempt") && l.contains("claimed")).isPresent();
    }

    private Instant postedAt;

    private List<String> post(int jobs) {
        for (int i = 1; i <= jobs; i++) {
            bench.drop(Bench.Engine.POSTGRES, target(i));
        }
        postedAt = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= jobs; i++) {
            ids.add(bench.requestRestore(snapshotId, bench.pgServer(), target(i)));
        }
        return ids;
    }

    private static String target(int i) {
        return "bench_scale_t" + i;
    }
}
