package io.databasement.catalog.schedule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a webhook delivery in the caller's transaction (the one that changed the schedule's state); the
 * {@link WebhookDispatcher} sends it later. The body is a structured-mode CloudEvent whose {@code data} is a
 * public event record: ids, names, times, reasons; never a password, a sealed secret or a connection detail.
 */
@Component
class WebhookOutbox {

    /** Webhook-only event types (no Kafka message): a missed episode ended. */
    static final String SCHEDULE_RECOVERED = "io.databasement.schedule.recovered.v1";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    WebhookOutbox(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Does nothing for a schedule without a webhook. */
    void enqueue(Schedule schedule, String type, Object data, Instant now) {
        if (schedule.webhookUrl() == null) {
            return;
        }
        UUID id = UUID.randomUUID();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id.toString());
        event.put("source", "/catalog-service");
        event.put("type", type);
        event.put("subject", schedule.id().toString());
        event.put("time", now.toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        jdbc.sql("insert into webhook_deliveries (id, schedule_id, url, event_type, body, attempts, next_attempt_at, "
                        + "status, created_at) values (?, ?, ?, ?, ?, 0, ?, 'PENDING', ?)")
                .params(id, schedule.id(), schedule.webhookUrl(), type, json.writeValueAsString(event),
                        ScheduleStore.ts(now), ScheduleStore.ts(now))
                .update();
    }
}
