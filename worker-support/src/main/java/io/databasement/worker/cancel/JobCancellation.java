package io.databasement.worker.cancel;

import io.databasement.worker.tool.ToolProcess;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The cancel handle of one running job: whether it was cancelled (and why), and the tool processes to kill when
 * it is. The job's thread {@link #watch watches} each tool it starts and checks {@link #cancelled()} between its
 * steps; the cancel listener's thread {@link #cancel cancels}. Killing the tool is what stops the job: its stream
 * ends, the job's own failure path runs, and the job reports the end as cancelled rather than failed.
 */
public final class JobCancellation implements AutoCloseable {

    private final UUID jobId;
    private final Consumer<JobCancellation> onClose;
    private final Set<ToolProcess> tools = ConcurrentHashMap.newKeySet();
    private volatile String reason;

    JobCancellation(UUID jobId, Consumer<JobCancellation> onClose) {
        this.jobId = jobId;
        this.onClose = onClose;
    }

    /** A handle no registry knows of: only {@link #cancel} on it stops the job (tests, jobs nobody can cancel). */
    public static JobCancellation detached(UUID jobId) {
        return new JobCancellation(jobId, handle -> { });
    }

    public UUID jobId() {
        return jobId;
    }

    /** Kills the tool when the job is cancelled, at once if it already is. Pair with {@link #unwatch}. */
    public void watch(ToolProcess tool) {
        tools.add(tool);
        if (cancelled()) {
            tool.kill();
        }
    }

    public void unwatch(ToolProcess tool) {
        tools.remove(tool);
    }

    /** Marks the job cancelled and kills the tools it runs (with their children). Later calls change nothing. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why == null || why.isBlank() ? "cancelled" : why;
        }
        tools.forEach(ToolProcess::kill);
    }

    public boolean cancelled() {
        return reason != null;
    }

    /** Why, as the catalog said it (e.g. {@code cancelled by alice}); null while not cancelled. */
    public String reason() {
        return reason;
    }

    /** The job ended: its handle leaves the registry. */
    @Override
    public void close() {
        onClose.accept(this);
    }
}
