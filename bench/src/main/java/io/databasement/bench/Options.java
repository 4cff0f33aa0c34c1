package io.databasement.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Command line of the benchmark. {@code --quick}: W1 at 100 MB, 3 repetitions of the backups and 2 of the restores
 * (1 of W4's), 30 dispatch jobs, short paced restores (under 3 minutes once the workloads exist). The full run:
 * W1 at 1 GB, 5 repetitions, 200 dispatch jobs.
 *
 * @param heapBoundMiB the bound for the backup worker's heap: part size × (parts in flight + 2) + 64 MiB,
 *                     with the worker's defaults (16 MiB parts, 2 in flight)
 * @param stackStopsAfter bench/run started the system and stops it afterwards: the backup worker it ran with that
 *                     bound need not be restarted with its usual options (14 s of the quick run)
 */
record Options(Path root, String gateway, boolean quick, long sizeBytes, long mariaDbBytes, int reps, int dispatchJobs,
               boolean mariaDb, boolean scaleOut, int pacedRows, int pacedRowMillis, int heapBoundMiB, Set<String> only, boolean stackStopsAfter) {

    static final Set<String> SECTIONS = Set.of("backups", "restores", "dispatch", "scale-out");

    /** Whether a section runs: all do unless --only names some. */
    boolean runs(String section) {
        return only.isEmpty() || only.contains(section);
    }

    static final int PART_SIZE_MIB = 16;
    static final int PARTS_IN_FLIGHT = 2;

    static Options parse(String[] args) {
        Path root = Path.of(".").toAbsolutePath().normalize();
        String gateway = "http://127.0.0.1:8080";
        boolean quick = false;
        Long size = null;
        Integer reps = null;
        Integer jobs = null;
        boolean mariaDb = true;
        boolean scaleOut = true;
        Set<String> only = Set.of();
        boolean stackStopsAfter = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--size" -> size = bytes(value(args, ++i, "--size"));
                case "--reps" -> reps = Integer.parseInt(value(args, ++i, "--reps"));
                case "--dispatch-jobs" -> jobs = Integer.parseInt(value(args, ++i, "--dispatch-jobs"));
                case "--no-mariadb" -> mariaDb = false;
                case "--no-scale-out" -> scaleOut = false;
                case "--stack-stops-after" -> stackStopsAfter = true;
                case "--root" -> root = Path.of(value(args, ++i, "--root")).toAbsolutePath().normalize();
                case "--gateway" -> gateway = value(args, ++i, "--gateway");
                case "--only" -> {
                    only = Set.of(value(args, ++i, "--only").split(","));
                    if (!SECTIONS.containsAll(only)) {
                        throw new IllegalArgumentException("--only takes a list of " + SECTIONS + ", not " + only);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --quick --size 200MB --reps N --dispatch-jobs N --no-mariadb --no-scale-out --only backups,restores,dispatch,scale-out)");
            }
        }
        long w1 = size != null ? size : quick ? 100L << 20 : 1L << 30;
        if (w1 < 8L << 20) {
            throw new IllegalArgumentException("--size must be at least 8MB");
        }
        return new Options(root, gateway, quick, w1, w1 / 2, reps != null ? reps : quick ? 3 : 5,
                jobs != null ? jobs : quick ? 30 : 200, mariaDb, scaleOut, quick ? 100 : 250, 20,
                PART_SIZE_MIB * (PARTS_IN_FLIGHT + 2) + 64, only, stackStopsAfter);
    }

    /** "200MB", "1GB", "512mb", plain bytes. */
    static long bytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("GB")) {
            unit = 1L << 30;
        } else if (t.endsWith("MB")) {
            unit = 1L << 20;
        } else if (t.endsWith("KB")) {
            unit = 1L << 10;
        }
        String number = unit == 1 ? t : t.substring(0, t.length() - 2);
        return Long.parseLong(number.trim()) * unit;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
