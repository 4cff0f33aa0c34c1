package io.databasement.worker.intake;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.worker.trace.JobTracing;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes a worker's commands off Kafka on the poll thread and hands each to a job slot; the poll thread never
 * waits for a job. The record is acknowledged when its job ends, or sent back (seek) when the catalog could
 * not be asked. Unusable records are dead-lettered with the reason. Each worker subclasses it with its own
 * {@code @KafkaListener} method that calls {@link #take}.
 *
 * @param <T> the command record
 */
public abstract class CommandIntake<T> extends AbstractConsumerSeekAware {

    /** Runs one command's job to its end, on a job slot's thread. */
    @FunctionalInterface
    public interface Job<T> {
        JobOutcome run(T command, String correlationId);
    }

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);

    private final MessageType<T> type;
    private final Function<T, UUID> jobIdOf;
    private final JsonMapper json;
    private final Job<T> job;
    private final JobSlots slots;
    private final DeadLetters deadLetters;
    private final JobTracing tracing;
    private final String jobName;
    private final InOrderAcks acks = new InOrderAcks();

    /** @param jobName names the job's span, e.g. {@code backup job} */
    protected CommandIntake(MessageType<T> type, Function<T, UUID> jobIdOf, JsonMapper json, Job<T> job, JobSlots slots,
                            DeadLetters deadLetters, JobTracing tracing, String jobName) {
        this.tracing = tracing;
        this.jobName = jobName;
        this.type = type;
        this.jobIdOf = jobIdOf;
        this.json = json;
        this.job = job;
        this.slots = slots;
        this.deadLetters = deadLetters;
    }

    protected void take(ConsumerRecord<String, byte[]> record, Acknowledgment ack) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        acks.started(tp, record.offset(), ack);
        T command;
        try {
            command = parse(record);
        } catch (PoisonException e) {
            log.warn("command at {}@{} is unusable ({}): dead-lettered", tp, record.offset(), e.getMessage());
            try {
                deadLetters.send(record, e.getMessage());
            } catch (Exception sendFailed) {
                // never lose a command silently: without its dead letter it stays uncommitted
                log.error("dead-lettering {}@{} failed: {}", tp, record.offset(), sendFailed.toString());
                acks.awaitingRedelivery(tp, record.offset());
                seekBack(tp, record.offset());
                return;
            }
            acks.done(tp, record.offset());
            return;
        }
        String correlationId = CloudEvents.read(name -> lastHeader(record, name), CloudEvents.CORRELATION_ID);
        slots.start(() -> tracing.runJob(jobName, jobIdOf.apply(command), record.headers(), () -> {
            JobOutcome outcome = job.run(command, correlationId);
            if (outcome == JobOutcome.ACK) {
                acks.done(tp, record.offset());
            } else {
                acks.awaitingRedelivery(tp, record.offset());
                seekBack(tp, record.offset());
            }
        }));
    }

    private T parse(ConsumerRecord<String, byte[]> record) throws PoisonException {
        String ceType = CloudEvents.read(name -> lastHeader(record, name), CloudEvents.TYPE);
        if (ceType == null) {
            throw new PoisonException("no ce_type header");
        }
        if (!type.ceType().equals(ceType)) {
            throw new PoisonException(MessageTypes.byCeType(ceType).isPresent()
                    ? "ce_type " + ceType + " does not belong on " + record.topic() : "unknown ce_type " + ceType);
        }
        if (record.value() == null) {
            throw new PoisonException("empty value");
        }
        T command;
        try {
            command = json.readValue(record.value(), type.payload());
        } catch (JacksonException e) {
            throw new PoisonException("value is not a valid " + ceType + ": " + e.getOriginalMessage());
        }
        if (command == null || jobIdOf.apply(command) == null) {
            throw new PoisonException("the command has no jobId");
        }
        return command;
    }

    private static Object lastHeader(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }

    /** Queued by the container and performed on the consumer thread at its next poll. */
    private void seekBack(TopicPartition tp, long offset) {
        var callbacks = getSeekCallbacksFor(tp);
        if (callbacks == null || callbacks.isEmpty()) {
            log.info("{} is no longer ours; its new owner will receive offset {}", tp, offset);
            return;
        }
        for (ConsumerSeekAware.ConsumerSeekCallback callback : callbacks) {
            callback.seek(tp.topic(), tp.partition(), offset);
        }
        log.info("offset {} of {} handed back to Kafka for redelivery", offset, tp);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(acks::forget);
        super.onPartitionsRevoked(partitions);
    }

    /** Records taken whose commit is still outstanding. */
    public int pendingAcks() {
        return acks.pending();
    }

    private static final class PoisonException extends Exception {
        PoisonException(String reason) {
            super(reason);
        }
    }
}
