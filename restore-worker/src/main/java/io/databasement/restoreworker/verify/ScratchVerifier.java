package io.databasement.restoreworker.verify;

import io.databasement.contracts.TableMismatch;
import io.databasement.contracts.TableStats;
import io.databasement.contracts.Verification;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.Secrets;
import io.databasement.engines.ToolInvocation;
import io.databasement.engines.stats.TableStatsCollector;
import io.databasement.worker.tool.ToolProcess;
import io.databasement.worker.tool.TrailerWatcher;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The second half of a verification: dumps the scratch copy with the very dump command a backup uses (so the rows
 * print exactly as they did in the snapshot), counts its tables on the stream, throws the bytes away, and compares
 * with the statistics the backup counted from the snapshot's own dump.
 */
public class ScratchVerifier {

    private static final int BUFFER = 64 * 1024;

    private final Map<Thread, ToolProcess> running = new ConcurrentHashMap<>();

    /** The scratch copy could not be dumped: the verification has no result. */
    public static final class VerificationFailedException extends Exception {
        public VerificationFailedException(String reason) {
            super(reason);
        }
    }

    /**
     * @param dump          the engine's dump command for the scratch database
     * @param expected      the snapshot's statistics
     * @param startedNanos  {@link System#nanoTime()} when the restore into the scratch database began
     */
    public Verification verify(ToolInvocation dump, DatabaseEngine engine, List<TableStats> expected, long startedNanos,
                               String password) throws VerificationFailedException {
        List<TableStats> actual = tablesOf(dump, engine, password);
        List<TableMismatch> mismatches = TableComparison.mismatches(expected, actual);
        long rows = expected.stream().mapToLong(TableStats::rows).sum();
        return new Verification(mismatches.isEmpty(), expected.size(), rows, mismatches, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private List<TableStats> tablesOf(ToolInvocation dump, DatabaseEngine engine, String password) throws VerificationFailedException {
        String tool = toolName(dump);
        ToolProcess process;
        try {
            process = ToolProcess.startReading(dump, tool);
        } catch (IOException e) {
            throw new VerificationFailedException(Secrets.scrub("could not start " + tool + ": " + e.getMessage(), password));
        }
        running.put(Thread.currentThread(), process);
        try {
            TableStatsCollector tables = engine.tableStatsCollector();
            TrailerWatcher trailer = new TrailerWatcher(engine);
            try (InputStream in = process.stdout()) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    tables.feed(buffer, 0, n);
                    trailer.feed(buffer, 0, n);
                }
                trailer.finish();
            } catch (IOException e) {
                process.kill();
                throw new VerificationFailedException(dumpFailed(tool, process, "reading its output failed: " + e.getMessage(), password));
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new VerificationFailedException(dumpFailed(tool, process, "exited with code " + exit, password));
            }
            if (!trailer.complete()) {
                throw new VerificationFailedException(dumpFailed(tool, process, "its output does not end with \"" + engine.dumpTrailer()
                        + "\"", password));
            }
            return tables.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.kill();
            throw new VerificationFailedException("the verification was interrupted (the worker is stopping)");
        } finally {
            running.remove(Thread.currentThread());
            if (process.isAlive()) {
                process.kill();
            }
        }
    }

    private static String dumpFailed(String tool, ToolProcess process, String what, String password) {
        String said = process.stderr().lastLines();
        return Secrets.scrub("the scratch copy could not be dumped again for the comparison: " + tool + " "
                + (said.isEmpty() ? what : what + ": " + said), password);
    }

    /** Stops every running dump: the worker is shutting down and the commands will be redelivered. */
    public void killAll() {
        running.values().forEach(ToolProcess::kill);
    }

    private static String toolName(ToolInvocation tool) {
        String path = tool.command().get(0);
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
