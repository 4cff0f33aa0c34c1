package io.databasement.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux knows about a process: CPU time (its own and that of the children it has waited for, such as the dump
 * tool a worker ran), peak resident memory, and bytes it made the kernel write to disk.
 */
final class ProcStats {

    /** USER_HZ: the unit of /proc/&lt;pid&gt;/stat's times, 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** CPU seconds: utime + stime + cutime + cstime. */
    static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name may contain spaces and parentheses: fields start after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // after ')' : state(0) ppid(1) ... utime is field 14 of the line, index 11 here
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks / TICKS_PER_SECOND;
    }

    /** Peak resident set (VmHWM) in bytes, since the process started or since {@link #resetPeak}. */
    static long peakRss(long pid) {
        return statusKb(pid, "VmHWM:") * 1024;
    }

    /** Lets VmHWM start again from the current RSS (Linux: 5 written to clear_refs). */
    static void resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the peak RSS of " + pid + " (needs the same user or root): " + e, e);
        }
    }

    /** Bytes this process caused to be sent to the storage layer ({@code write_bytes} of /proc/&lt;pid&gt;/io). */
    static long diskWrites(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "io")).split("\n")) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        throw new IllegalStateException("/proc/" + pid + "/io has no write_bytes");
    }

    private static long statusKb(long pid, String field) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("/proc/" + pid + "/status has no " + field);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (did the process exit?): " + e, e);
        }
    }
}
