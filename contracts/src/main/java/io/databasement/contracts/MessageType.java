package io.databasement.contracts;

/**
 * One kind of message: its CloudEvents type, its record, the topic it travels on and its JSON Schema.
 *
 * @param ceType     the {@code ce_type} header, e.g. {@code io.databasement.backup.completed.v1}
 * @param payload    the record the JSON value maps to
 * @param topic      the topic it is published on
 * @param schemaPath classpath resource of its JSON Schema
 */
public record MessageType<T>(String ceType, Class<T> payload, String topic, String schemaPath) {
}
