package io.databasement.restoreworker.load;

import io.databasement.worker.tool.StderrTail;
import io.databasement.engines.ToolInvocation;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A running restore tool: argument list and environment as the engine built them, SQL on stdin, stderr drained. */
final class ToolProcess {

    private final Process process;
    private final StderrTail stderr;

    private ToolProcess(Process process, StderrTail stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    static ToolProcess start(ToolInvocation invocation, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(invocation.command());
        Map<String, String> env = builder.environment();
        // The worker's own PG*/MYSQL_* variables (PGSERVICE, PGOPTIONS, MYSQL_HOST, ...) would silently change
        // where the snapshot goes; the engine's environment is the whole truth.
        env.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("MYSQL"));
        env.putAll(invocation.environment());
        // what the dump's own SELECTs print (set_config, setval) is of no interest; errors go to stderr
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        return new ToolProcess(process, new StderrTail(process.getErrorStream(), name + "-stderr"));
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Waits for the exit code and for stderr to be fully read. */
    int waitFor() throws InterruptedException {
        int code = process.waitFor();
        stderr.awaitEnd(5_000);
        return code;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            stderr.awaitEnd(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    StderrTail stderr() {
        return stderr;
    }
}
