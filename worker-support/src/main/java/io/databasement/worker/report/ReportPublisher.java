package io.databasement.worker.report;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Writes a worker's reports to their topic (from {@link MessageTypes}): key = job id, JSON value, CloudEvents headers as UTF-8 bytes. */
public class ReportPublisher {

    private static final Logger log = LoggerFactory.getLogger(ReportPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final String source;
    private final Duration timeout;

    /** @param source the CloudEvents {@code ce_source}, e.g. {@code /restore-worker} */
    public ReportPublisher(KafkaTemplate<String, byte[]> kafka, JsonMapper json, String source, Duration timeout) {
        this.kafka = kafka;
        this.json = json;
        this.source = source;
        this.timeout = timeout;
    }

    /**
     * Sends and waits (bounded) for the broker's acknowledgement: started, completed and failed must not be
     * lost silently.
     *
     * @return whether the broker acknowledged it in time
     */
    public <T> boolean publish(UUID jobId, T report, String correlationId) {
        try {
            kafka.send(record(jobId, report, correlationId)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.error("job {}: could not publish {}: {}", jobId, report.getClass().getSimpleName(), e.toString());
        }
        return false;
    }

    /** Fire and forget: a lost progress report is replaced by the next one. */
    public <T> void publishLater(UUID jobId, T report, String correlationId) {
        kafka.send(record(jobId, report, correlationId)).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("job {}: progress report not sent: {}", jobId, error.toString());
            }
        });
    }

    public <T> ProducerRecord<String, byte[]> record(UUID jobId, T report, String correlationId) {
        @SuppressWarnings("unchecked")
        MessageType<T> type = (MessageType<T>) MessageTypes.of(report.getClass());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(type.topic(), jobId.toString(), json.writeValueAsBytes(report));
        for (Map.Entry<String, String> header : CloudEvents.headers(type, source, jobId.toString(), correlationId).entrySet()) {
            record.headers().add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
