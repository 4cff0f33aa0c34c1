package io.databasement.worker.cancel;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.JobCancelRequested;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.Topics;
import io.databasement.worker.intake.DeadLetters;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hears {@code dbm.job.cancellations} and cancels the job if it runs in this process. Every worker process must hear
 * every cancel, so each consumes with a group of its own (a broadcast, like the gateway's live events): from the
 * latest offset (a process that starts runs nothing yet), committing nothing (nobody resumes such a group). An
 * unusable record is dead-lettered under one stable group name per worker kind, and the listener goes on.
 */
public final class CancelListener implements MessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(CancelListener.class);

    private final String kind;
    private final RunningJobs jobs;
    private final JsonMapper json;
    private final DeadLetters deadLetters;

    /**
     * @param kind        {@link JobCancelRequested#BACKUP} or {@link JobCancelRequested#RESTORE}: the jobs this worker runs
     * @param deadLetters where unusable records go (its group names the worker kind, not this process)
     */
    public CancelListener(String kind, RunningJobs jobs, JsonMapper json, DeadLetters deadLetters) {
        this.kind = kind;
        this.jobs = jobs;
        this.json = json;
        this.deadLetters = deadLetters;
    }

    /**
     * The listener container of one worker process.
     *
     * @param consumerProperties the application's Kafka consumer settings (bootstrap servers and the like)
     * @param application        the application name; the group is {@code <application>-cancellations-<random>}
     */
    public static KafkaMessageListenerContainer<String, byte[]> container(Map<String, Object> consumerProperties,
                                                                          String application, CancelListener listener) {
        Map<String, Object> properties = new HashMap<>(consumerProperties);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ContainerProperties container = new ContainerProperties(Topics.JOB_CANCELLATIONS);
        container.setGroupId(application + "-cancellations-" + UUID.randomUUID());
        // nothing ever acknowledges: a group nobody will resume has no use for committed offsets
        container.setAckMode(ContainerProperties.AckMode.MANUAL);
        container.setMessageListener(listener);
        // like the @KafkaListener containers (spring.kafka.listener.observation-enabled): one kind of listener timer
        // per process, since Prometheus refuses a second spring_kafka_listener_seconds with other tag keys
        container.setObservationEnabled(true);
        return new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(), new ByteArrayDeserializer()), container);
    }

    /**
     * The cancel listener of one worker process with its container, dead-lettering under {@link #deadLetterGroup}.
     *
     * @param kind {@link JobCancelRequested#BACKUP} or {@link JobCancelRequested#RESTORE}
     */
    public static KafkaMessageListenerContainer<String, byte[]> container(Map<String, Object> consumerProperties,
                                                                          String application, String kind, RunningJobs jobs,
                                                                          JsonMapper json, KafkaTemplate<String, byte[]> kafka,
                                                                          Duration sendTimeout) {
        DeadLetters deadLetters = new DeadLetters(kafka, deadLetterGroup(application), sendTimeout);
        return container(consumerProperties, application, new CancelListener(kind, jobs, json, deadLetters));
    }

    /** The dead-letter group of a worker kind's cancel listeners, e.g. {@code backup-worker-cancellations}. */
    public static String deadLetterGroup(String application) {
        return application + "-cancellations";
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        JobCancelRequested cancel;
        try {
            cancel = parse(record);
        } catch (IllegalArgumentException e) {
            log.warn("cancel at {}-{}@{} is unusable ({}): dead-lettered", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            try {
                deadLetters.send(record, e.getMessage());
            } catch (Exception sendFailed) {
                log.error("dead-lettering the cancel at {}-{}@{} failed: {}", record.topic(), record.partition(),
                        record.offset(), sendFailed.toString());
            }
            return;
        }
        if (!kind.equals(cancel.kind())) {
            return;
        }
        if (!jobs.cancel(cancel.jobId(), cancel.reason())) {
            log.debug("job {} is not running here; cancel remembered in case its command comes later", cancel.jobId());
        }
    }

    private JobCancelRequested parse(ConsumerRecord<String, byte[]> record) {
        String ceType = CloudEvents.read(name -> {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : header.value();
        }, CloudEvents.TYPE);
        if (!MessageTypes.JOB_CANCEL_REQUESTED.ceType().equals(ceType)) {
            throw new IllegalArgumentException(ceType == null ? "no ce_type header" : "unexpected ce_type " + ceType);
        }
        if (record.value() == null) {
            throw new IllegalArgumentException("empty value");
        }
        JobCancelRequested cancel;
        try {
            cancel = json.readValue(record.value(), JobCancelRequested.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("value is not a valid " + ceType + ": " + e.getOriginalMessage());
        }
        if (cancel == null || cancel.jobId() == null || cancel.kind() == null) {
            throw new IllegalArgumentException("the cancel names no jobId or kind");
        }
        return cancel;
    }
}
