package io.databasement.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.after;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Kafka stands in as a mock here: these are about ordering and never blocking, not about the broker. */
class VolumePublisherTests {

    @SuppressWarnings("unchecked")
    final KafkaTemplate<String, byte[]> kafka = mock(KafkaTemplate.class);
    final KafkaAdmin admin = mock(KafkaAdmin.class);
    final VolumeRepository volumes = mock(VolumeRepository.class);
    final VolumePublisher publisher = new VolumePublisher(kafka, admin, volumes, JsonMapper.builder().build());

    final Volume s3 = Volume.s3("bucket", "http://127.0.0.1:9000", "backups", null, "AK", "v1:sealed-secret",
            "team", null, null, Instant.parse("2026-11-25T12:00:00Z"));

    @AfterEach
    void stop() {
        publisher.stop();
    }

    @Test
    void aVolumeChangeDoesNotWaitForASlowKafka() {
        given(admin.initialize()).willAnswer(call -> {
            Thread.sleep(2000);
            return true;
        });
        long started = System.nanoTime();

        publisher.publish(s3);

        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(500);
    }

    @Test
    void nothingIsSentBeforeTheCompactedTopicExists() {
        given(admin.initialize()).willReturn(false);

        publisher.publish(s3);

        verify(admin, timeout(2000)).initialize();
        verify(kafka, after(300).never()).send(any(ProducerRecord.class));
    }

    @Test
    void stateCarriesCloudEventsHeadersAndNoSecret() {
        ProducerRecord<String, byte[]> record = publishAndCapture(s3);

        assertThat(record.topic()).isEqualTo(Topics.VOLUMES);
        assertThat(record.key()).isEqualTo(s3.id().toString());
        assertThat(header(record, CloudEvents.TYPE)).isEqualTo(MessageTypes.VOLUME_STATE.ceType());
        assertThat(header(record, CloudEvents.SOURCE)).isEqualTo("/storage-service");
        assertThat(header(record, CloudEvents.SUBJECT)).isEqualTo(s3.id().toString());
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"location\":\"s3://backups/team\"").doesNotContain("sealed-secret")
                .doesNotContain("AK");
    }

    @Test
    void deletedVolumeIsATombstoneWithHeaders() {
        ProducerRecord<String, byte[]> record = publishAndCapture(s3.markDeleted(Instant.now()));

        assertThat(record.value()).isNull();
        assertThat(record.key()).isEqualTo(s3.id().toString());
        assertThat(header(record, CloudEvents.TYPE)).isEqualTo(MessageTypes.VOLUME_STATE.ceType());
    }

    @Test
    void republishSendsEveryVolumeIncludingTombstonesOfDeletedOnes() {
        Volume local = Volume.local("nas", "/srv/backups", null, Instant.now());
        given(admin.initialize()).willReturn(true);
        given(kafka.send(any(ProducerRecord.class))).willReturn(new CompletableFuture<>());
        given(volumes.findAll()).willReturn(List.of(local, s3.markDeleted(Instant.now())));

        publisher.republishAll();

        @SuppressWarnings("unchecked")
        ArgumentCaptor<ProducerRecord<String, byte[]>> sent = ArgumentCaptor.forClass(ProducerRecord.class);
        verify(kafka, timeout(2000).times(2)).send(sent.capture());
        assertThat(sent.getAllValues()).extracting(ProducerRecord::key)
                .containsExactly(local.id().toString(), s3.id().toString());
        assertThat(sent.getAllValues().get(1).value()).isNull();
    }

    @Test
    void aFailedSendDoesNotStopTheNextOne() {
        given(admin.initialize()).willReturn(true);
        given(kafka.send(any(ProducerRecord.class))).willThrow(new IllegalStateException("broker gone"))
                .willReturn(new CompletableFuture<>());

        publisher.publish(s3);
        publisher.publish(s3);

        verify(kafka, timeout(2000).times(2)).send(any(ProducerRecord.class));
    }

    private ProducerRecord<String, byte[]> publishAndCapture(Volume volume) {
        given(admin.initialize()).willReturn(true);
        given(kafka.send(any(ProducerRecord.class))).willReturn(new CompletableFuture<>());
        publisher.publish(volume);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<ProducerRecord<String, byte[]>> sent = ArgumentCaptor.forClass(ProducerRecord.class);
        verify(kafka, timeout(2000).times(1)).send(sent.capture());
        return sent.getValue();
    }

    private static String header(ProducerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
