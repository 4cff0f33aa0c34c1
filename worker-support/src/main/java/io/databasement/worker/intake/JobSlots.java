package io.databasement.worker.intake;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * {@code slots} job threads. When the last slot is taken the intake is paused (the consumer keeps polling
 * with its partitions paused, so a two-hour job never looks like a dead consumer), and it is resumed as
 * soon as a job ends.
 */
public final class JobSlots {

    private static final Logger log = LoggerFactory.getLogger(JobSlots.class);

    /** What to pause and resume: the listener container. */
    public interface Intake {
        void pause();

        void resume();
    }

    private final int slots;
    private final ExecutorService executor;
    private Intake intake;
    private int busy;
    private boolean paused;

    /** @param threadPrefix names the job threads, e.g. {@code restore-job-} */
    public JobSlots(int slots, String threadPrefix) {
        this.slots = slots;
        AtomicInteger n = new AtomicInteger();
        // the queue only ever holds a job if a record slipped past a pause; it is never where work waits
        this.executor = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadPrefix + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        });
    }

    /**
     * Slots that pause and resume the {@code @KafkaListener} with id {@code listenerId}: looked up when needed,
     * since the registry creates its containers after the beans that configure them.
     */
    public static JobSlots pausingListener(int slots, String threadPrefix, KafkaListenerEndpointRegistry registry, String listenerId) {
        JobSlots jobSlots = new JobSlots(slots, threadPrefix);
        jobSlots.connect(new Intake() {
            @Override
            public void pause() {
                registry.getListenerContainer(listenerId).pause();
            }

            @Override
            public void resume() {
                registry.getListenerContainer(listenerId).resume();
            }
        });
        return jobSlots;
    }

    /**
     * How long a paused consumer's poll lasts. A resume takes effect only when the current poll returns, so this is
     * how long a freed slot may stay idle while a command waits (Spring Kafka's default is 100 ms; the benchmark's
     * dispatch p50 fell from 74 to 59 ms with a shorter one). A paused poll fetches nothing but still costs about
     * 0.4 ms of CPU (measured: 10 ms polls took 4 % of a core during a long job), so 50 ms: under 1 %.
     */
    public static final Duration PAUSED_POLL = Duration.ofMillis(50);

    /** For the worker's listener container factory: resume within {@link #PAUSED_POLL} of a slot coming free. */
    public static ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> promptResume() {
        return container -> container.getContainerProperties().setPollTimeoutWhilePaused(PAUSED_POLL);
    }

    public synchronized void connect(Intake intake) {
        this.intake = intake;
    }

    /** Runs the job on a slot; pauses the intake if that was the last free one. */
    public void start(Runnable job) {
        synchronized (this) {
            busy++;
            if (busy >= slots && !paused && intake != null) {
                paused = true;
                intake.pause();
                log.debug("all {} job slots busy: intake paused", slots);
            }
        }
        executor.execute(() -> {
            try {
                job.run();
            } finally {
                release();
            }
        });
    }

    private synchronized void release() {
        busy--;
        if (busy < slots && paused && intake != null) {
            paused = false;
            intake.resume();
            log.debug("a job slot is free: intake resumed");
        }
    }

    public synchronized int busy() {
        return busy;
    }

    public synchronized boolean paused() {
        return paused;
    }

    public void shutdown(long waitMillis) throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
    }
}
