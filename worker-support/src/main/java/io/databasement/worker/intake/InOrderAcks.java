package io.databasement.worker.intake;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Kafka commits an offset, not a record: acknowledging offset 7 also commits 5 and 6. With several slots,
 * two commands of one partition can run at once and end in any order, so an acknowledgement is held back
 * until every earlier command of its partition has ended; then the newest is acknowledged, committing all.
 * (spring-kafka's asyncAcks does this too, but pauses the consumer after every poll, which would allow one
 * job at a time.)
 */
public final class InOrderAcks {

    private enum State { RUNNING, DONE, AWAITING_REDELIVERY }

    private static final class Entry {
        State state = State.RUNNING;
        Acknowledgment ack;

        Entry(Acknowledgment ack) {
            this.ack = ack;
        }
    }

    private final Map<TopicPartition, TreeMap<Long, Entry>> partitions = new ConcurrentHashMap<>();

    /** A command was delivered (a redelivery of the same offset takes the old entry's place). */
    public synchronized void started(TopicPartition tp, long offset, Acknowledgment ack) {
        partitions.computeIfAbsent(tp, k -> new TreeMap<>()).put(offset, new Entry(ack));
    }

    /** The command's job has ended; commits it and every finished one after it if nothing earlier still runs. */
    public synchronized void done(TopicPartition tp, long offset) {
        TreeMap<Long, Entry> entries = partitions.get(tp);
        if (entries == null || !entries.containsKey(offset)) {
            return; // the partition was revoked meanwhile: its new owner has the command
        }
        entries.get(offset).state = State.DONE;
        Entry lastDone = null;
        while (!entries.isEmpty() && entries.firstEntry().getValue().state == State.DONE) {
            lastDone = entries.pollFirstEntry().getValue();
        }
        if (lastDone != null) {
            lastDone.ack.acknowledge();
        }
    }

    /** The command goes back to Kafka: it holds back later commits until its redelivery is done. */
    public synchronized void awaitingRedelivery(TopicPartition tp, long offset) {
        TreeMap<Long, Entry> entries = partitions.get(tp);
        if (entries != null && entries.containsKey(offset)) {
            entries.get(offset).state = State.AWAITING_REDELIVERY;
        }
    }

    /** After a rebalance the partition's commands are someone else's. */
    public synchronized void forget(TopicPartition tp) {
        partitions.remove(tp);
    }

    public synchronized int pending() {
        return partitions.values().stream().mapToInt(Map::size).sum();
    }
}
