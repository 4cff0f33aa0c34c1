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
    private final Set<Runnable> hooks = ConcurrentHashMap.newKeySet();
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

    /**
     * Runs {@code action} when the job is cancelled (at once if it already is), unless the returned registration was
     * closed before. For what a killed tool does not stop: part uploads and storage calls waiting out an outage.
     */
    public Registration onCancel(Runnable action) {
        hooks.add(action);
        if (cancelled() && hooks.remove(action)) {
            action.run();
        }
        return () -> hooks.remove(action);
    }

    /**
     * Interrupts the calling thread if the job is cancelled while the returned scope is open, so a call retrying
     * a service that is down stops at once instead of sleeping through its backoff. Closing the scope clears an
     * interrupt it caused, so the job can still publish its end.
     */
    public Registration interruptOnCancel() {
        Interrupter interrupter = new Interrupter(Thread.currentThread());
        interrupter.hook = onCancel(interrupter);
        return interrupter;
    }

    /** Marks the job cancelled, kills the tools it runs (with their children) and runs the cancel hooks. Later calls change nothing. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why == null || why.isBlank() ? "cancelled" : why;
        }
        tools.forEach(ToolProcess::kill);
        for (Runnable hook : hooks) {
            if (hooks.remove(hook)) {
                hook.run();
            }
        }
    }

    public boolean cancelled() {
        return reason != null;
    }

    /** Why, as the catalog said it (e.g. {@code cancelled by alice}); null while not cancelled. */
    public String reason() {
        return reason;
    }

    /** Undoes an {@link #onCancel} or {@link #interruptOnCancel}; closing twice is harmless. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Interrupts its thread on cancel while open; on close, clears the interrupt it caused. */
    private static final class Interrupter implements Runnable, Registration {

        private final Thread thread;
        private Registration hook;
        private boolean open = true;
        private boolean interrupted;

        Interrupter(Thread thread) {
            this.thread = thread;
        }

        @Override
        public synchronized void run() {
            if (open) {
                interrupted = true;
                thread.interrupt();
            }
        }

        @Override
        public synchronized void close() {
            hook.close();
            open = false;
            if (interrupted) {
                Thread.interrupted();
            }
        }
    }

    /** The job ended: its handle leaves the registry. */
    @Override
    public void close() {
        onClose.accept(this);
    }
}
