package io.databasement.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Restores of one snapshot into 4 targets with 1, 2 and 4 restore workers, and how soon a worker started while
 * work waits takes some. The restored database is paced (a sleeping CHECK per row), so a restore costs time in the
 * server but almost no CPU: 4 CPU-bound restores cannot run side by side on this machine's 2 cores, and the point
 * here is whether the workers share the work, not how fast psql is.
 */
final class ScaleOut {

    static final String SOURCE = "bench_paced";
    static final int TARGETS = 4;
    /** Jobs in the takeover measurement: enough that some wait on partitions the new worker will own. */
    static final int TAKEOVER_JOBS = 6;

    private final Bench bench;

    ScaleOut(Bench bench) {
        this.bench = bench;
    }

    void run() {
        Options o = bench.options();
        Bench.say("scale-out: " + TARGETS + " restores of a paced database (" + o.pacedRows() + " rows × " + o.pacedRowMillis()
                + " ms of server-side sleep each) with 1, 2 and 4 restore workers");
        bench.workloads().pacedPostgres(SOURCE, o.pacedRows(), o.pacedRowMillis());
        Bench.SnapshotRun snapshot = bench.snapshot(Bench.Engine.POSTGRES, SOURCE);
        snapshotId = snapshot.id();
        try {
            bench.stack().scale("restore-worker", 1, null);
            round(1, TARGETS);
            takeover();
            round(2, TARGETS);
            bench.stack().scale("restore-worker", 4, null);
            round(4, TARGETS);
        } finally {
            bench.stack().scale("restore-worker", 1, null);
            for (int i = 1; i <= TAKEOVER_JOBS; i++) {
                bench.drop(Bench.Engine.POSTGRES, target(i));
            }
            bench.deleteSnapshot(snapshot.id());
        }
    }

    private String snapshotId;

    private void round(int workers, int jobs) {
        List<String> ids = post(jobs);
        Instant posted = postedAt;
        List<JsonNode> done = ids.stream().map(id -> bench.awaitEnd("/api/v1/restores/" + id)).toList();
        Instant last = done.stream().map(d -> Api.instant(d, "completedAt")).max(Instant::compareTo).orElseThrow();
        double wall = Duration.between(posted, last).toNanos() / 1e9;
        double longestWait = done.stream().mapToDouble(d -> Duration.between(Api.instant(d, "createdAt"),
                Api.instant(d, "startedAt")).toNanos() / 1e9).max().orElse(0);
        double oneJob = done.stream().mapToDouble(d -> Duration.between(Api.instant(d, "startedAt"),
                Api.instant(d, "completedAt")).toNanos() / 1e9).average().orElse(0);
        bench.results().scaleOut(new Results.ScaleRound(workers, jobs, wall, oneJob, longestWait));
        Bench.say(String.format("  %d worker(s): %d restores in %.1f s (one restore %.1f s; longest wait %.1f s)", workers, jobs,
                wall, oneJob, longestWait));
    }

    /** One worker busy, work waiting: start a second and time until it takes a job. */
    private void takeover() {
        List<String> ids = post(TAKEOVER_JOBS);
        // the first worker is busy once a job runs
        while (ids.stream().noneMatch(id -> started(id) != null)) {
            Bench.sleep(100);
        }
        Instant launched = Instant.now();
        bench.stack().scale("restore-worker", 2, null);
        Instant ready = Instant.now();
        Instant taken = null;
        Instant deadline = Instant.now().plusSeconds(120);
        while (taken == null && Instant.now().isBefore(deadline)) {
            // the new worker's first job: one that started after the launch while the first worker's was still running
            List<JsonNode> jobs = ids.stream().map(id -> bench.api().get("/api/v1/restores/" + id)).toList();
            taken = firstConcurrentStart(jobs, launched);
            if (jobs.stream().allMatch(j -> j.path("status").asString().equals("COMPLETED"))) {
                break;
            }
            Bench.sleep(100);
        }
        ids.forEach(id -> bench.awaitEnd("/api/v1/restores/" + id));
        bench.results().takeover(Duration.between(launched, ready).toNanos() / 1e9,
                taken == null ? null : Duration.between(launched, taken).toNanos() / 1e9,
                taken == null ? null : Duration.between(ready, taken).toNanos() / 1e9);
        Bench.say(taken == null ? "  the new worker took no job (none waited on its partitions)"
                : String.format("  a restore worker started while work waited: healthy after %.1f s, took a job %.1f s after its launch",
                Duration.between(launched, ready).toNanos() / 1e9, Duration.between(launched, taken).toNanos() / 1e9));
    }

    /** The earliest start after {@code after} that overlaps another job still running then. */
    static Instant firstConcurrentStart(List<JsonNode> jobs, Instant after) {
        Instant best = null;
        for (JsonNode j : jobs) {
            Instant s = Api.instant(j, "startedAt");
            if (s == null || !s.isAfter(after)) {
                continue;
            }
            for (JsonNode other : jobs) {
                Instant os = Api.instant(other, "startedAt");
                Instant oe = Api.instant(other, "completedAt");
                if (other != j && os != null && os.isBefore(s) && (oe == null || oe.isAfter(s))) {
                    best = best == null || s.isBefore(best) ? s : best;
                }
            }
        }
        return best;
    }

    private Instant postedAt;

    private List<String> post(int jobs) {
        for (int i = 1; i <= jobs; i++) {
            bench.drop(Bench.Engine.POSTGRES, target(i));
        }
        postedAt = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= jobs; i++) {
            Api.Answer a = bench.api().post("/api/v1/restores", Map.of("snapshotId", snapshotId,
                    "targetServerId", bench.pgServer(), "targetDatabase", target(i)));
            if (a.status() != 202) {
                throw new IllegalStateException("POST /api/v1/restores answered " + a.status() + ": " + a.body());
            }
            ids.add(a.body().get("id").asString());
        }
        return ids;
    }

    private Instant started(String id) {
        return Api.instant(bench.api().get("/api/v1/restores/" + id), "startedAt");
    }

    private static String target(int i) {
        return "bench_scale_t" + i;
    }
}
