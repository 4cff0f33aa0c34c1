package io.databasement.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobSlotsTests {

    private final CopyOnWriteArrayList<String> intake = new CopyOnWriteArrayList<>();
    private final JobSlots slots = new JobSlots(2, "test-job-");

    {
        slots.connect(new JobSlots.Intake() {
            @Override
            public void pause() {
                intake.add("pause");
            }

            @Override
            public void resume() {
                intake.add("resume");
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        slots.shutdown(1000);
    }

    @Test
    void intakePausesWhenEverySlotIsBusyAndResumesWhenOneFrees() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        String poller = Thread.currentThread().getName();
        CopyOnWriteArrayList<String> ranOn = new CopyOnWriteArrayList<>();

        slots.start(() -> {
            ranOn.add(Thread.currentThread().getName());
            hold(first);
        });
        assertThat(intake).isEmpty();
        slots.start(() -> hold(second));
        assertThat(intake).containsExactly("pause");
        assertThat(slots.paused()).isTrue();

        first.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> intake.size() == 2);
        assertThat(intake).containsExactly("pause", "resume");
        assertThat(slots.busy()).isEqualTo(1);
        assertThat(ranOn).noneMatch(poller::equals);
        second.countDown();
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
