package io.databasement.catalog.messaging;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Consumer-side idempotency: a message id is applied once, in the transaction that applies it. */
@Repository
public class ProcessedMessages {

    private final JdbcClient jdbc;

    ProcessedMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true the first time this id is seen; false for a redelivery (then apply nothing) */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean markProcessed(String messageId, String type, Instant now) {
        return jdbc.sql("insert into processed_messages (message_id, message_type, processed_at) values (?, ?, ?) "
                        + "on conflict (message_id) do nothing")
                .params(messageId, type, Timestamp.from(now))
                .update() == 1;
    }

    /** @return how many ids were forgotten */
    public int deleteOlderThan(Instant cutoff) {
        return jdbc.sql("delete from processed_messages where processed_at < ?").param(Timestamp.from(cutoff)).update();
    }
}
