package io.databasement.worker.tool;

import io.databasement.engines.ToolInvocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running native tool: argument list and environment exactly as the engine built them, stderr drained on
 * its own thread (so the tool never blocks on it). A dump tool is read from ({@link #startReading}); a restore
 * tool is written to ({@link #startWriting}).
 */
public final class ToolProcess {

    private final Process process;
    private final StderrTail stderr;

    private ToolProcess(Process process, StderrTail stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** A tool whose stdout is the product (a dump); its stdin is closed. */
    public static ToolProcess startReading(ToolInvocation invocation, String name) throws IOException {
        ProcessBuilder builder = builder(invocation).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        process.getOutputStream().close();
        return new ToolProcess(process, new StderrTail(process.getErrorStream(), name + "-stderr"));
    }

    /** A tool fed on stdin (a restore); what it prints on stdout (set_config, setval) is of no interest. */
    public static ToolProcess startWriting(ToolInvocation invocation, String name) throws IOException {
        Process process = builder(invocation).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new ToolProcess(process, new StderrTail(process.getErrorStream(), name + "-stderr"));
    }

    private static ProcessBuilder builder(ToolInvocation invocation) {
        ProcessBuilder builder = new ProcessBuilder(invocation.command());
        Map<String, String> env = builder.environment();
        // The worker's own PG*/MYSQL_* variables (PGSERVICE, PGOPTIONS, MYSQL_HOST, ...) would silently change
        // which server and database the tool talks to; the engine's environment is the whole truth.
        env.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("MYSQL"));
        env.putAll(invocation.environment());
        return builder;
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Waits for the exit code and for stderr to be fully read. */
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        stderr.awaitEnd(5_000);
        return code;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            stderr.awaitEnd(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public StderrTail stderr() {
        return stderr;
    }
}
