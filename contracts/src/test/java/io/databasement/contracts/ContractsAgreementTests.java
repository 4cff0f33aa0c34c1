package io.databasement.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/** Records, JSON Schemas and asyncapi.yaml describe the same messages. */
class ContractsAgreementTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final com.fasterxml.jackson.databind.ObjectMapper SCHEMA_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static Stream<MessageType<?>> messageTypes() {
        return MessageTypes.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("messageTypes")
    void schemaRequiresExactlyTheRecordsComponents(MessageType<?> type) throws IOException {
        var schema = SCHEMA_JSON.readTree(resource(type.schemaPath()));
        Set<String> properties = new HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> required = new HashSet<>();
        schema.get("required").forEach(n -> required.add(n.asText()));
        Set<String> components = componentNames(type.payload());

        assertThat(properties).as("schema properties of %s", type.ceType()).isEqualTo(components);
        assertThat(required).as("schema required of %s", type.ceType()).isEqualTo(components);
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.get("title").asText()).isEqualTo(type.ceType());
    }

    @ParameterizedTest
    @MethodSource("messageTypes")
    void aSerializedRecordValidatesAgainstItsSchema(MessageType<?> type) throws Exception {
        Object sample = sample(type.payload());
        String json = JSON.writeValueAsString(sample);

        Set<ValidationMessage> errors = schema(type).validate(SCHEMA_JSON.readTree(json));

        assertThat(errors).as("%s as %s", type.ceType(), json).isEmpty();
        assertThat(JSON.readValue(json, type.payload())).isEqualTo(sample);
    }

    @Test
    void aMessageMissingAFieldIsRejectedBySchema() throws Exception {
        String json = JSON.writeValueAsString(sample(BackupFailed.class)).replace("\"reason\"", "\"cause\"");

        assertThat(schema(MessageTypes.BACKUP_FAILED).validate(SCHEMA_JSON.readTree(json))).isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void asyncApiDescribesEveryMessageOnItsTopicWithItsSchema() throws IOException {
        Map<String, Object> doc = new Yaml().load(resource("asyncapi.yaml"));
        assertThat(doc.get("asyncapi")).isEqualTo("3.0.0");
        Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) doc.get("channels");
        Map<String, Map<String, Object>> messages =
                (Map<String, Map<String, Object>>) ((Map<String, Object>) doc.get("components")).get("messages");

        for (MessageType<?> type : MessageTypes.ALL) {
            String name = type.payload().getSimpleName();
            Map<String, Object> message = messages.get(name);
            assertThat(message).as("components.messages.%s", name).isNotNull();
            assertThat(message.get("x-ce-type")).isEqualTo(type.ceType());
            assertThat(((Map<String, Object>) message.get("payload")).get("$ref")).isEqualTo("./" + type.schemaPath());

            var channel = channels.values().stream().filter(c -> type.topic().equals(c.get("address"))).findFirst();
            assertThat(channel).as("a channel with address %s", type.topic()).isPresent();
            assertThat((Map<String, Object>) channel.get().get("messages")).containsKey(name);
        }
        Set<String> documentedAddresses = new HashSet<>();
        channels.values().forEach(c -> documentedAddresses.add((String) c.get("address")));
        assertThat(documentedAddresses).allMatch(this::isATopicConstant);
    }

    @Test
    void cloudEventHeadersAreReadBackWhicheverWayTheyArrive() {
        Map<String, String> headers = CloudEvents.headers(MessageTypes.BACKUP_STARTED, "/test", "job-1", "corr-1");
        assertThat(headers).containsEntry(CloudEvents.SPEC_VERSION, "1.0").containsEntry(CloudEvents.TYPE, "io.databasement.backup.started.v1")
                .containsEntry(CloudEvents.CORRELATION_ID, "corr-1").containsEntry(CloudEvents.SUBJECT, "job-1").containsKey(CloudEvents.ID);

        Map<String, Object> asBytes = Map.of("ce_type", "x.v1".getBytes());
        Map<String, Object> renamedByStream = Map.of("ce-type", "x.v1");
        assertThat(CloudEvents.read(asBytes::get, CloudEvents.TYPE)).isEqualTo("x.v1");
        assertThat(CloudEvents.read(renamedByStream::get, CloudEvents.TYPE)).isEqualTo("x.v1");
        assertThat(CloudEvents.read(Map.of()::get, CloudEvents.TYPE)).isNull();
    }

    @Test
    void typesAreUniqueAndFoundByCeType() {
        assertThat(MessageTypes.ALL.stream().map(MessageType::ceType).distinct()).hasSameSizeAs(MessageTypes.ALL);
        assertThat(MessageTypes.byCeType("io.databasement.backup.completed.v1")).contains(MessageTypes.BACKUP_COMPLETED);
        assertThat(MessageTypes.byCeType("io.databasement.nope.v1")).isEmpty();
        assertThat(MessageTypes.of(BackupFailed.class)).isEqualTo(MessageTypes.BACKUP_FAILED);
    }

    private boolean isATopicConstant(String address) {
        return Arrays.stream(Topics.class.getFields()).anyMatch(f -> {
            try {
                return address.equals(f.get(null));
            } catch (IllegalAccessException e) {
                return false;
            }
        });
    }

    private static JsonSchema schema(MessageType<?> type) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(resource(type.schemaPath()));
    }

    private static InputStream resource(String path) {
        InputStream in = ContractsAgreementTests.class.getClassLoader().getResourceAsStream(path);
        assertThat(in).as("classpath resource %s", path).isNotNull();
        return in;
    }

    private static Set<String> componentNames(Class<?> record) {
        Set<String> names = new HashSet<>();
        for (RecordComponent c : record.getRecordComponents()) {
            names.add(c.getName());
        }
        return names;
    }

    /** A valid instance with plausible values, built from the record's components. */
    private static Object sample(Class<?> record) throws Exception {
        RecordComponent[] components = record.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = sampleValue(components[i]);
        }
        return record.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new))
                .newInstance(args);
    }

    private static Object sampleValue(RecordComponent c) throws Exception {
        Class<?> t = c.getType();
        if (t == UUID.class) return UUID.randomUUID();
        if (t == Instant.class) return Instant.parse("2026-11-25T16:00:00.123Z");
        if (t == long.class) return 1234L;
        if (t == boolean.class || t == Boolean.class) return true;
        if (t == int.class && c.getName().equals("status")) return 409;
        if (t == int.class) return c.getName().equals("port") ? 5432 : 3;
        if (t == Long.class) return 5L;
        if (t == List.class && c.getGenericType() instanceof ParameterizedType list
                && list.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
            return List.of(sample(element));
        }
        if (t == List.class && c.getGenericType() instanceof ParameterizedType list
                && list.getActualTypeArguments()[0] == String.class) {
            return List.of(c.getName() + "-1", c.getName() + "-2");
        }
        if (t.isRecord()) return sample(t);
        if (t == String.class) {
            return switch (c.getName()) {
                case "engine" -> "postgresql";
                case "compression" -> "zstd";
                case "type" -> "s3";
                case "sha256" -> "a".repeat(64);
                case "checksum", "expectedChecksum", "actualChecksum" -> "0123456789abcdef";
                case "mode" -> "CROSS_SERVER";
                case "phase" -> "loading";
                case "channel" -> "kafka";
                case "kind" -> "backup";
                default -> c.getName() + "-value";
            };
        }
        throw new IllegalStateException("no sample for " + t + " " + c.getName() + " in " + List.of());
    }
}
