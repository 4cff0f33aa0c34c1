package io.databasement.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.Acknowledgment;

class InOrderAcksTests {

    private final TopicPartition p0 = new TopicPartition("dbm.restore.commands", 0);
    private final List<Long> acknowledged = new ArrayList<>();
    private final InOrderAcks acks = new InOrderAcks();

    private Acknowledgment ack(long offset) {
        return () -> acknowledged.add(offset);
    }

    @Test
    void aLaterJobFinishingFirstDoesNotCommitPastAnEarlierOneStillRunning() {
        acks.started(p0, 5, ack(5));
        acks.started(p0, 6, ack(6));

        acks.done(p0, 6);
        assertThat(acknowledged).isEmpty();

        acks.done(p0, 5);
        assertThat(acknowledged).containsExactly(6L);
        assertThat(acks.pending()).isZero();
    }

    @Test
    void aCommandHandedBackForRedeliveryHoldsBackLaterCommitsUntilItsRedeliveryEnds() {
        acks.started(p0, 5, ack(5));
        acks.started(p0, 6, ack(6));
        acks.awaitingRedelivery(p0, 5);
        acks.done(p0, 6);
        assertThat(acknowledged).isEmpty();

        acks.started(p0, 5, ack(50));
        acks.done(p0, 5);
        assertThat(acknowledged).containsExactly(6L);
    }

    @Test
    void partitionsAreIndependentAndARevokedOneIsForgotten() {
        TopicPartition p1 = new TopicPartition("dbm.restore.commands", 1);
        acks.started(p0, 5, ack(5));
        acks.started(p1, 9, ack(9));
        acks.done(p1, 9);
        assertThat(acknowledged).containsExactly(9L);

        acks.forget(p0);
        acks.done(p0, 5);
        assertThat(acknowledged).containsExactly(9L);
    }
}
