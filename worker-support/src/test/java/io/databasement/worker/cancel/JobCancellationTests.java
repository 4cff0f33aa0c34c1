package io.databasement.worker.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobCancellationTests {

    @Test
    void aCancelInterruptsAThreadWaitingInsideTheScopeAndClosingClearsThatInterrupt() throws Exception {
        JobCancellation job = JobCancellation.detached(UUID.randomUUID());
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean wokenByInterrupt = new AtomicBoolean();
        AtomicBoolean flagAfterScope = new AtomicBoolean(true);
        Thread worker = new Thread(() -> {
            try (JobCancellation.Registration scope = job.interruptOnCancel()) {
                waiting.countDown();
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    // as the storage clients do: keep the flag for whoever is up the stack
                    wokenByInterrupt.set(true);
                    Thread.currentThread().interrupt();
                }
            }
            flagAfterScope.set(Thread.currentThread().isInterrupted());
        });
        worker.start();
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

        job.cancel("cancelled by alice");
        worker.join(5_000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(wokenByInterrupt).isTrue();
        assertThat(flagAfterScope).as("the job must still be able to report its end").isFalse();
    }

    @Test
    void aCancelAfterTheScopeClosedInterruptsNothing() {
        JobCancellation job = JobCancellation.detached(UUID.randomUUID());
        job.interruptOnCancel().close();

        job.cancel("cancelled by alice");

        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void aHookRunsOnceAndAtOnceWhenTheJobIsAlreadyCancelled() {
        JobCancellation job = JobCancellation.detached(UUID.randomUUID());
        AtomicInteger runs = new AtomicInteger();
        job.onCancel(runs::incrementAndGet);
        job.cancel("first");
        job.cancel("second");
        job.onCancel(runs::incrementAndGet);

        assertThat(runs).hasValue(2);
    }
}
