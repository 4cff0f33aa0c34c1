package io.databasement.gateway.openapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges the services' OpenAPI documents into the gateway's own: paths, components, tags. A component whose
 * name is taken by a different definition is renamed {@code <prefix>.<name>} (with every {@code $ref} to it in
 * that service's document); an identical one (the shared {@code Problem} schema) is kept once. A clashing
 * operationId gets the prefix too, so clients generated from the document stay compilable.
 */
final class ApiDocsMerger {

    private static final Logger log = LoggerFactory.getLogger(ApiDocsMerger.class);
    private static final List<String> SECTIONS = List.of("schemas", "responses", "parameters", "examples",
            "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    static final String BEARER = "bearerAuth";
    /** Lists the services whose part is missing, for a script that wants to know without reading prose. */
    static final String MISSING_EXTENSION = "x-databasement-missing";

    /**
     * One service's document, or why it is missing.
     *
     * @param prefix what a clashing component or operationId of this service is prefixed with
     */
    record Part(String service, String prefix, ObjectNode doc, String failure) {

        static Part of(String service, String prefix, ObjectNode doc) {
            return new Part(service, prefix, doc, null);
        }

        static Part missing(String service, String prefix, String failure) {
            return new Part(service, prefix, null, failure);
        }
    }

    private ApiDocsMerger() {
    }

    /** @param gateway the gateway's own document; not changed */
    static ObjectNode merge(ObjectNode gateway, List<Part> parts) {
        ObjectNode merged = gateway.deepCopy();
        ObjectNode paths = object(merged, "paths");
        ObjectNode components = object(merged, "components");
        Set<String> operationIds = operationIds(paths);
        ArrayNode ownTags = merged.has("tags") ? (ArrayNode) merged.remove("tags") : merged.arrayNode();
        ArrayNode tags = merged.putArray("tags");
        List<String> missing = new ArrayList<>();
        for (Part part : parts) {
            if (part.doc() == null) {
                missing.add(part.service() + " (" + part.failure() + ")");
                continue;
            }
            ObjectNode doc = part.doc().deepCopy();
            renameClashingComponents(doc, components, part.prefix());
            addComponents(doc, components);
            addPaths(doc, paths, operationIds, part);
            addTags(doc.path("tags"), tags);
        }
        addTags(ownTags, tags);
        secure(merged, components);
        describeMissing(merged, parts, missing);
        return merged;
    }

    private static void renameClashingComponents(ObjectNode doc, ObjectNode components, String prefix) {
        Map<String, String> renamed = new HashMap<>();
        for (String section : SECTIONS) {
            JsonNode theirs = doc.path("components").path(section);
            JsonNode ours = components.path(section);
            if (!theirs.isObject()) {
                continue;
            }
            for (String name : List.copyOf(theirs.propertyNames())) {
                if (ours.has(name) && !ours.get(name).equals(theirs.get(name))) {
                    String newName = prefix + "." + name;
                    ((ObjectNode) theirs).set(newName, ((ObjectNode) theirs).remove(name));
                    renamed.put("#/components/" + section + "/" + name, "#/components/" + section + "/" + newName);
                }
            }
        }
        if (!renamed.isEmpty()) {
            rewriteRefs(doc, renamed);
        }
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renamed) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isString() && renamed.containsKey(ref.asString())) {
                object.put("$ref", renamed.get(ref.asString()));
            }
        }
        if (node.isContainer()) {
            node.forEach(child -> rewriteRefs(child, renamed));
        }
    }

    private static void addComponents(ObjectNode doc, ObjectNode components) {
        for (String section : SECTIONS) {
            JsonNode theirs = doc.path("components").path(section);
            if (theirs.isObject()) {
                ObjectNode ours = object(components, section);
                theirs.properties().forEach(e -> {
                    if (!ours.has(e.getKey())) {
                        ours.set(e.getKey(), e.getValue());
                    }
                });
            }
        }
    }

    private static void addPaths(ObjectNode doc, ObjectNode paths, Set<String> operationIds, Part part) {
        doc.path("paths").properties().forEach(path -> {
            ObjectNode ours = object(paths, path.getKey());
            path.getValue().properties().forEach(operation -> {
                if (ours.has(operation.getKey())) {
                    log.warn("{} also describes {} {}; the first description is kept", part.service(),
                            operation.getKey().toUpperCase(Locale.ROOT), path.getKey());
                    return;
                }
                if (METHODS.contains(operation.getKey()) && operation.getValue() instanceof ObjectNode op) {
                    uniqueOperationId(op, operationIds, part.prefix());
                }
                ours.set(operation.getKey(), operation.getValue());
            });
        });
    }

    private static void uniqueOperationId(ObjectNode operation, Set<String> taken, String prefix) {
        JsonNode id = operation.get("operationId");
        if (id == null || !id.isString()) {
            return;
        }
        String unique = id.asString();
        if (taken.contains(unique)) {
            unique = prefix + Character.toUpperCase(unique.charAt(0)) + unique.substring(1);
            operation.put("operationId", unique);
        }
        taken.add(unique);
    }

    private static Set<String> operationIds(ObjectNode paths) {
        Set<String> ids = new HashSet<>();
        paths.forEach(path -> path.forEach(operation -> {
            if (operation.hasNonNull("operationId")) {
                ids.add(operation.get("operationId").asString());
            }
        }));
        return ids;
    }

    private static void addTags(JsonNode theirs, ArrayNode tags) {
        Set<String> names = new HashSet<>();
        tags.forEach(tag -> names.add(tag.path("name").asString()));
        theirs.forEach(tag -> {
            if (names.add(tag.path("name").asString())) {
                tags.add(tag);
            }
        });
    }

    /** One bearer scheme, required everywhere: the gateway's own endpoints and every service's. */
    private static void secure(ObjectNode merged, ObjectNode components) {
        ObjectNode bearer = object(components, "securitySchemes").putObject(BEARER);
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("bearerFormat", "dbm_<43 URL-safe base64 characters>");
        bearer.put("description", "An API token (POST /api/v1/tokens; the first admin token is DBM_ADMIN_TOKEN).");
        merged.putArray("security").addObject().putArray(BEARER);
    }

    private static void describeMissing(ObjectNode merged, List<Part> parts, List<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        ObjectNode info = object(merged, "info");
        String description = info.path("description").asString("");
        info.put("description", description + "\n\n**Incomplete:** the API of " + String.join(" and ", missing)
                + " is missing from this document because the service could not be asked for it. "
                + "Reload in a moment.");
        ArrayNode names = info.putArray(MISSING_EXTENSION);
        parts.stream().filter(p -> p.doc() == null).forEach(p -> names.add(p.service()));
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        JsonNode child = parent.get(name);
        return child instanceof ObjectNode object ? object : parent.putObject(name);
    }
}
