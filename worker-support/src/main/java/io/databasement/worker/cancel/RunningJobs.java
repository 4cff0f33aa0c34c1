package io.databasement.worker.cancel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs this worker process runs, by job id, each with its {@link JobCancellation}. A cancel for a job it does
 * not run is ignored (every worker process hears every cancel). A cancel can overtake its job's command (the
 * command waited on a busy replica, or its claim was under way), so the ids of recent cancels are remembered: a
 * job registered after its cancel starts cancelled.
 */
public final class RunningJobs {

    private static final Logger log = LoggerFactory.getLogger(RunningJobs.class);
    /** Cancels remembered for jobs not (yet) running here; older ones are forgotten first. */
    static final int REMEMBERED_CANCELS = 1_000;

    private final Map<UUID, JobCancellation> running = new ConcurrentHashMap<>();
    private final Map<UUID, String> recentCancels = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, String> eldest) {
            return size() > REMEMBERED_CANCELS;
        }
    };

    /** The job starts running here (after its claim); close the handle when it ends. */
    public JobCancellation register(UUID jobId) {
        JobCancellation handle = new JobCancellation(jobId, h -> running.remove(h.jobId(), h));
        String earlier;
        // one lock for "is it running?" and "remember the cancel": a cancel is never lost between the two
        synchronized (recentCancels) {
            running.put(jobId, handle);
            earlier = recentCancels.remove(jobId);
        }
        if (earlier != null) {
            log.info("job {} was cancelled before it started here: it stops at once", jobId);
            handle.cancel(earlier);
        }
        return handle;
    }

    /**
     * Cancels the job if it runs here (kills its tools; its thread reports the end).
     *
     * @return whether it runs here
     */
    public boolean cancel(UUID jobId, String reason) {
        JobCancellation handle;
        synchronized (recentCancels) {
            handle = running.get(jobId);
            if (handle == null) {
                recentCancels.put(jobId, reason);
                return false;
            }
        }
        log.info("job {}: {}; stopping it", jobId, reason);
        handle.cancel(reason);
        return true;
    }

    public int size() {
        return running.size();
    }
}
