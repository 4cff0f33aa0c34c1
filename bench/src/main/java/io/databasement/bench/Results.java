package io.databasement.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Everything one run measured, the ratios against its targets, and the files it leaves in bench/results. */
final class Results {

    record Backup(String label, String database, Stats baseWall, Stats baseCpu, Stats dbmWall, Stats dbmCpu, long baseSize,
                  long dbmSize, long rawBytes, Stats tempBytes, Stats extraWrites, Stats naiveWall, Stats naiveTempBytes, long workerHeap,
                  long workerOld, long workerRss, long storageHeap, long storageRss) {
    }

    record Restore(String label, String database, Stats baseWall, Stats baseCpu, Stats dbmWall, Stats dbmCpu) {
    }

    record Memory(String label, String database, long rawBytes, long workerHeap, long workerOld, long workerRss) {
    }

    record ScaleRound(int workers, int jobs, double wallSeconds, double oneJobSeconds, double longestWaitSeconds, int workersBusy) {
    }

    /**
     * A restore worker started while the system ran.
     *
     * @param bootSeconds    launch → its application started (a JVM and Spring on 2 busy cores)
     * @param healthySeconds launch → healthy as ./dbm checks it
     * @param takesWorkSeconds application started → Kafka assigned it its command partitions (it takes work from then)
     */
    record NewWorker(String name, double bootSeconds, double healthySeconds, double takesWorkSeconds) {
    }

    /** How a value meets its limit. */
    enum Kind { AT_MOST, AT_LEAST, WITHIN }

    /**
     * One line of the ratio table.
     *
     * @param limit the target: the value must stay at or below it, at or above it, or within it of 1 (a ratio)
     */
    record Ratio(String what, String workload, double value, String unit, double limit, Kind kind) {
        boolean passes() {
            return switch (kind) {
                case AT_MOST -> value <= limit;
                case AT_LEAST -> value >= limit;
                case WITHIN -> Math.abs(value - 1) <= limit;
            };
        }

        String target() {
            return switch (kind) {
                case AT_MOST -> "≤ " + format(limit) + unit;
                case AT_LEAST -> "≥ " + format(limit) + unit;
                case WITHIN -> "1 ± " + format(limit);
            };
        }

        String shown() {
            return format(value) + unit;
        }

        private static String format(double v) {
            if (Double.isNaN(v)) {
                return "n/a";
            }
            return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
        }
    }

    private final Options options;
    private final Map<String, Object> workloads = new LinkedHashMap<>();
    private final List<Backup> backups = new ArrayList<>();
    private final List<Restore> restores = new ArrayList<>();
    private final List<Memory> memory = new ArrayList<>();
    private final List<ScaleRound> scale = new ArrayList<>();
    private Stats dispatchToStart;
    private Stats dispatchToEnd;
    private final List<NewWorker> newWorkers = new ArrayList<>();
    private double runSeconds;

    Results(Options options) {
        this.options = options;
    }

    void workload(String label, String database, long sizeBytes) {
        workloads.put(label, Map.of("database", database, "sizeBytes", sizeBytes));
    }

    void backup(Backup b) {
        backups.add(b);
    }

    void restore(Restore r) {
        restores.add(r);
    }

    void memory(Memory m) {
        memory.add(m);
    }

    void dispatch(Stats toStart, Stats toEnd) {
        dispatchToStart = toStart;
        dispatchToEnd = toEnd;
    }

    void scaleOut(ScaleRound round) {
        scale.add(round);
    }

    void newWorker(NewWorker w) {
        newWorkers.add(w);
    }

    void setupSeconds(double seconds) {
        runSeconds = seconds;
    }

    List<Ratio> ratios() {
        List<Ratio> r = new ArrayList<>();
        long bound = (long) options.heapBoundMiB() << 20;
        for (Backup b : backups) {
            r.add(new Ratio("backup wall", b.label(), b.dbmWall().median() / b.baseWall().median(), "×", 1.05, Kind.AT_MOST));
            r.add(new Ratio("backup CPU", b.label(), b.dbmCpu().median() / b.baseCpu().median(), "×", 1.15, Kind.AT_MOST));
            r.add(new Ratio("artifact size", b.label(), (double) b.dbmSize() / b.baseSize(), "×", 0.01, Kind.WITHIN));
            r.add(new Ratio("temp-file bytes", b.label(), b.tempBytes().max(), " B", 0, Kind.AT_MOST));
            r.add(new Ratio("worker heap peak", b.label(), b.workerHeap() / 1048576.0, " MiB", bound / 1048576.0, Kind.AT_MOST));
            if (b.naiveWall() != null) {
                r.add(new Ratio("temp-file pipeline / Databasement", b.label(), b.naiveWall().median() / b.dbmWall().median(),
                        "×", 1.8, Kind.AT_LEAST));
            }
        }
        for (Memory m : memory) {
            r.add(new Ratio("worker heap peak", m.label(), m.workerHeap() / 1048576.0, " MiB", bound / 1048576.0, Kind.AT_MOST));
        }
        for (Restore x : restores) {
            r.add(new Ratio("restore wall", x.label(), x.dbmWall().median() / x.baseWall().median(), "×", 1.10, Kind.AT_MOST));
        }
        if (dispatchToStart != null) {
            r.add(new Ratio("dispatch p50", "tiny", dispatchToStart.median(), " ms", 20, Kind.AT_MOST));
            r.add(new Ratio("dispatch p99", "tiny", dispatchToStart.percentile(99), " ms", 100, Kind.AT_MOST));
        }
        for (NewWorker w : newWorkers) {
            r.add(new Ratio("new restore worker takes work after it started", w.name(), w.takesWorkSeconds(), " s", 10, Kind.AT_MOST));
        }
        return r;
    }

    void write(Path dir, LocalDate date) throws IOException {
        Files.createDirectories(dir);
        // a run of some sections (--only) must not overwrite the day's whole run
        String stem = date + (options.quick() ? "-quick" : "")
                + (options.only().isEmpty() ? "" : "-" + String.join("-", new java.util.TreeSet<>(options.only())));
        List<Ratio> ratios = ratios();
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(dir.resolve(stem + ".json"), json.writeValueAsString(document(ratios)));
        Chart.write(ratios, dir.resolve(stem + ".png"));
        Files.writeString(dir.resolve(stem + ".md"), markdown(ratios, stem));
        System.out.println();
        System.out.println("results: " + dir.resolve(stem + ".md") + " (.json, .png)");
        System.out.println();
        System.out.println(ratioTable(ratios));
    }

    private Map<String, Object> document(List<Ratio> ratios) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("date", ZonedDateTime.now().toString());
        d.put("quick", options.quick());
        d.put("repetitions", options.reps());
        d.put("machine", machine());
        d.put("workloads", workloads);
        List<Map<String, Object>> b = new ArrayList<>();
        for (Backup x : backups) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", x.label());
            m.put("database", x.database());
            m.put("zstdCli", Map.of("wallSeconds", x.baseWall().values(), "cpuSeconds", x.baseCpu().values(), "sizeBytes", x.baseSize()));
            Map<String, Object> dbm = new LinkedHashMap<>();
            dbm.put("wallSeconds", x.dbmWall().values());
            dbm.put("cpuSeconds", x.dbmCpu().values());
            dbm.put("sizeBytes", x.dbmSize());
            dbm.put("rawBytes", x.rawBytes());
            dbm.put("tempFileBytes", x.tempBytes().values());
            dbm.put("extraDiskWriteBytes", x.extraWrites().values());
            dbm.put("workerHeapPeakBytes", x.workerHeap());
            dbm.put("workerOldGenPeakBytes", x.workerOld());
            dbm.put("workerRssPeakBytes", x.workerRss());
            dbm.put("storageHeapPeakBytes", x.storageHeap());
            dbm.put("storageRssPeakBytes", x.storageRss());
            m.put("databasement", dbm);
            if (x.naiveWall() != null) {
                m.put("tempFilePipeline", Map.of("wallSeconds", x.naiveWall().values(), "tempBytes", x.naiveTempBytes().values()));
            }
            b.add(m);
        }
        d.put("backups", b);
        List<Map<String, Object>> r = new ArrayList<>();
        for (Restore x : restores) {
            r.add(Map.of("workload", x.label(), "database", x.database(),
                    "zstdCliPsql", Map.of("wallSeconds", x.baseWall().values(), "cpuSeconds", x.baseCpu().values()),
                    "databasement", Map.of("wallSeconds", x.dbmWall().values(), "cpuSeconds", x.dbmCpu().values())));
        }
        d.put("restores", r);
        d.put("memory", memory);
        if (dispatchToStart != null) {
            d.put("dispatch", Map.of("postToWorkerStartMs", dispatchToStart.values(), "postToCompletedMs", dispatchToEnd.values()));
        }
        d.put("scaleOut", scale);
        d.put("newWorkers", newWorkers);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (Ratio x : ratios) {
            rs.add(Map.of("what", x.what(), "workload", x.workload(), "value", Double.isNaN(x.value()) ? "n/a" : x.value(),
                    "target", x.target(), "passes", x.passes()));
        }
        d.put("ratios", rs);
        d.put("runSeconds", runSeconds);
        return d;
    }

    private String markdown(List<Ratio> ratios, String stem) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark ").append(stem).append("\n\n");
        md.append("`bench/run").append(options.quick() ? " --quick" : "").append("`: ").append(options.reps())
                .append(" repetitions, medians; spread = (max − min) / median. Machine: ").append(machine())
                .append(". Run took ").append(String.format(Locale.ROOT, "%.0f s", runSeconds)).append(".\n\n");
        md.append("## Workloads\n\n| workload | database | size on the server |\n|---|---|---|\n");
        workloads.forEach((k, v) -> {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
            md.append("| ").append(k).append(" | ").append(m.get("database")).append(" | ")
                    .append(mib(((Number) m.get("sizeBytes")).longValue())).append(" |\n");
        });
        md.append("\n## Backups\n\n| workload | pg_dump/mariadb-dump \\| zstd -3 | Databasement | temp-file pipeline | CPU zstd CLI | CPU Databasement"
                + " | size zstd CLI | size Databasement | dump (raw) | temp-file bytes (other disk writes) | worker heap / old gen / RSS peak | storage heap / RSS peak |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Backup b : backups) {
            md.append("| ").append(b.label()).append(" | ").append(secs(b.baseWall())).append(" | ").append(secs(b.dbmWall()))
                    .append(" | ").append(b.naiveWall() == null ? "—" : secs(b.naiveWall()) + " (temp " + mib((long) b.naiveTempBytes().max()) + ")")
                    .append(" | ").append(secs(b.baseCpu())).append(" | ").append(secs(b.dbmCpu()))
                    .append(" | ").append(b.baseSize()).append(" | ").append(b.dbmSize()).append(" | ").append(mib(b.rawBytes()))
                    .append(" | ").append((long) b.tempBytes().max()).append(" (").append(kib((long) b.extraWrites().max())).append(") | ").append(mib(b.workerHeap())).append(" / ")
                    .append(mib(b.workerOld())).append(" / ").append(mib(b.workerRss())).append(" | ").append(mib(b.storageHeap()))
                    .append(" / ").append(mib(b.storageRss())).append(" |\n");
        }
        md.append("\nCPU: the worker and storage-service processes, the dump tool included (the worker's waited-for child),"
                + " against pg_dump + zstd under GNU time; the database server's own CPU is in neither. Temp-file bytes: files the"
                + " worker and storage-service had open for writing besides their logs and the artifact on the volume (/proc/<pid>/fd"
                + " every 100 ms); in brackets the kernel's write_bytes of both beyond log growth and the artifact, which counts"
                + " log lines and the JVM's perf counters in whole 4 KiB pages."
                + " Heap: jstat samples every 100 ms (young + old, garbage included); the worker runs with -Xmx"
                + options.heapBoundMiB() + "m, the bound of the issue.\n");
        if (!memory.isEmpty()) {
            md.append("\n## Worker memory at two sizes\n\n| workload | dump (raw) | heap peak | old gen peak | RSS peak |\n|---|---|---|---|---|\n");
            for (Backup b : backups) {
                if (b.label().equals("W1")) {
                    md.append("| W1 | ").append(mib(b.rawBytes())).append(" | ").append(mib(b.workerHeap())).append(" | ")
                            .append(mib(b.workerOld())).append(" | ").append(mib(b.workerRss())).append(" |\n");
                }
            }
            for (Memory m : memory) {
                md.append("| ").append(m.label()).append(" | ").append(mib(m.rawBytes())).append(" | ").append(mib(m.workerHeap()))
                        .append(" | ").append(mib(m.workerOld())).append(" | ").append(mib(m.workerRss())).append(" |\n");
            }
        }
        md.append("\n## Restores\n\n| workload | zstd -dc \\| psql/mariadb | Databasement | CPU zstd+client | CPU Databasement (worker incl. psql, storage) |\n|---|---|---|---|---|\n");
        for (Restore r : restores) {
            md.append("| ").append(r.label()).append(" | ").append(secs(r.baseWall())).append(" | ").append(secs(r.dbmWall()))
                    .append(" | ").append(secs(r.baseCpu())).append(" | ").append(secs(r.dbmCpu())).append(" |\n");
        }
        md.append("\nDatabasement's restore also creates a staging database and swaps it in; the baseline loads into a new database.\n");
        if (dispatchToStart != null) {
            md.append(String.format(Locale.ROOT, "%n## Dispatch%n%n%d tiny snapshots one after another: POST /api/v1/snapshots → the worker's"
                            + " started report p50 %.1f ms, p99 %.1f ms, max %.1f ms; POST → COMPLETED p50 %.0f ms, p99 %.0f ms.%n",
                    dispatchToStart.values().size(), dispatchToStart.median(), dispatchToStart.percentile(99), dispatchToStart.max(),
                    dispatchToEnd.median(), dispatchToEnd.percentile(99)));
        }
        if (!scale.isEmpty()) {
            md.append("\n## Scale-out (simulated cost)\n\nRestores of a paced database: every row passes a CHECK that sleeps "
                    + options.pacedRowMillis() + " ms in the server (" + options.pacedRows() + " rows), so a restore takes time but"
                    + " almost no CPU, like a restore into a server behind a slow link. CPU-bound restores cannot run 4 at once on"
                    + " this machine's 2 cores. A command waits for the worker that owns its partition, so with few jobs several may"
                    + " meet on one worker (the last column).\n\n| restore workers | restores | wall | one restore | longest wait to start | speed-up | workers that ran some |\n|---|---|---|---|---|---|---|\n");
            double one = scale.get(0).wallSeconds();
            for (ScaleRound s : scale) {
                md.append(String.format(Locale.ROOT, "| %d | %d | %.1f s | %.1f s | %.1f s | %.2f× | %d |%n", s.workers(), s.jobs(),
                        s.wallSeconds(), s.oneJobSeconds(), s.longestWaitSeconds(), one / s.wallSeconds(), s.workersBusy()));
            }
            for (NewWorker w : newWorkers) {
                md.append(String.format(Locale.ROOT, "%n%s: its application started %.1f s after its launch (healthy for ./dbm after"
                        + " %.1f s); Kafka gave it its command partitions %.1f s after it started.%n", w.name(), w.bootSeconds(),
                        w.healthySeconds(), w.takesWorkSeconds()));
            }
        }
        md.append("\n## Ratios\n\n![ratios](").append(stem).append(".png)\n\n```\n").append(ratioTable(ratios)).append("```\n");
        return md.toString();
    }

    static String ratioTable(List<Ratio> ratios) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%-45s %-9s %12s %12s  %s%n", "measure", "workload", "value", "target", "result"));
        for (Ratio r : ratios) {
            t.append(String.format(Locale.ROOT, "%-45s %-9s %12s %12s  %s%n", r.what(), r.workload(), r.shown(), r.target(),
                    Double.isNaN(r.value()) ? "n/a" : r.passes() ? "pass" : "MISS"));
        }
        return t.toString();
    }

    private static String secs(Stats s) {
        return String.format(Locale.ROOT, "%.2f s ±%.0f%%", s.median(), s.spread() * 100);
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version");
    }
}
