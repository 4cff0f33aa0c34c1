package io.databasement.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * CloudEvents 1.0 binary-mode headers, written as plain UTF-8 string headers (we do not rely on a
 * framework's automatic {@code ce_} mapping, which renames them on some paths).
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CORRELATION_ID = "correlation_id";
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";

    /**
     * Headers for one message.
     *
     * @param type          a {@link MessageType#ceType()}
     * @param id            unique per message; a re-send of the same message keeps it (idempotency key)
     * @param source        the sending service, e.g. {@code /backup-worker}
     * @param subject       what the message is about, usually the job or snapshot id; may be null
     * @param correlationId carried through every answer; may be null
     */
    public static Map<String, String> headers(String type, String id, String source, String subject,
                                              String correlationId, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, "1.0");
        headers.put(ID, Objects.requireNonNull(id, "id"));
        headers.put(TYPE, Objects.requireNonNull(type, "type"));
        headers.put(SOURCE, Objects.requireNonNull(source, "source"));
        headers.put(TIME, Objects.requireNonNull(time, "time").toString());
        if (subject != null) {
            headers.put(SUBJECT, subject);
        }
        if (correlationId != null) {
            headers.put(CORRELATION_ID, correlationId);
        }
        headers.put(CONTENT_TYPE, JSON);
        return headers;
    }

    /** Headers for a new message of {@code type} with a fresh id. */
    public static Map<String, String> headers(MessageType<?> type, String source, String subject, String correlationId) {
        return headers(type.ceType(), UUID.randomUUID().toString(), source, subject, correlationId, Instant.now());
    }

    /**
     * Reads a header whatever path the message came by: Kafka clients give {@code byte[]},
     * Spring messaging gives {@code String}, and Spring Cloud Stream renames {@code ce_x} to {@code ce-x}.
     *
     * @return the value, or null if absent
     */
    public static String read(Function<String, Object> lookup, String name) {
        Object value = lookup.apply(name);
        if (value == null && name.startsWith("ce_")) {
            value = lookup.apply("ce-" + name.substring(3));
        }
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    private CloudEvents() {
    }
}
