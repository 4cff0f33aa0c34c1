package io.databasement.worker.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.JobCancelRequested;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The registry of running jobs and the cancel listener in front of it (no broker: records built by hand). */
class RunningJobsTests {

    private final RunningJobs jobs = new RunningJobs();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aCancelReachesTheRunningJobOnceAndAnEndedJobLeavesTheRegistry() {
        UUID job = UUID.randomUUID();
        JobCancellation handle = jobs.register(job);
        assertThat(handle.cancelled()).isFalse();

        assertThat(jobs.cancel(job, "cancelled by alice")).isTrue();
        assertThat(jobs.cancel(job, "cancelled by bob")).isTrue();
        assertThat(handle.cancelled()).isTrue();
        assertThat(handle.reason()).as("the first reason stays").isEqualTo("cancelled by alice");

        handle.close();
        assertThat(jobs.size()).isZero();
    }

    @Test
    void aCancelThatOvertookItsCommandCancelsTheJobWhenItRegisters() {
        UUID job = UUID.randomUUID();
        assertThat(jobs.cancel(job, "cancelled by alice")).isFalse();

        try (JobCancellation handle = jobs.register(job)) {
            assertThat(handle.cancelled()).isTrue();
            assertThat(handle.reason()).isEqualTo("cancelled by alice");
        }
        try (JobCancellation again = jobs.register(job)) {
            assertThat(again.cancelled()).as("a cancel is used once").isFalse();
        }
    }

    @Test
    void onlyTheNewestCancelsOfJobsNotRunningHereAreRemembered() {
        UUID first = UUID.randomUUID();
        jobs.cancel(first, "old");
        for (int i = 0; i < RunningJobs.REMEMBERED_CANCELS; i++) {
            jobs.cancel(UUID.randomUUID(), "other");
        }
        try (JobCancellation handle = jobs.register(first)) {
            assertThat(handle.cancelled()).isFalse();
        }
    }

    @Test
    void theListenerCancelsOnlyJobsOfItsOwnKind() {
        UUID backup = UUID.randomUUID();
        UUID restore = UUID.randomUUID();
        JobCancellation backupHandle = jobs.register(backup);
        JobCancellation restoreHandle = jobs.register(restore);
        CancelListener listener = new CancelListener(JobCancelRequested.RESTORE, jobs, json, null);

        listener.onMessage(record(new JobCancelRequested(backup, JobCancelRequested.BACKUP, "cancelled", "alice", Instant.now())));
        listener.onMessage(record(new JobCancelRequested(restore, JobCancelRequested.RESTORE, "cancelled by alice", "alice", Instant.now())));

        assertThat(backupHandle.cancelled()).isFalse();
        assertThat(restoreHandle.cancelled()).isTrue();
        assertThat(restoreHandle.reason()).isEqualTo("cancelled by alice");
    }

    private ConsumerRecord<String, byte[]> record(JobCancelRequested cancel) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.JOB_CANCELLATIONS, 0, 0, cancel.jobId().toString(),
                json.writeValueAsBytes(cancel));
        for (Map.Entry<String, String> h : CloudEvents.headers(MessageTypes.JOB_CANCEL_REQUESTED, "/catalog-service",
                cancel.jobId().toString(), null).entrySet()) {
            record.headers().add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
