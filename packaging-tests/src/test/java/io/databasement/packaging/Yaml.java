package io.databasement.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/** YAML as maps and lists, refusing duplicate keys (which Compose and Spring would silently resolve). */
final class Yaml {

    private Yaml() {
    }

    static Map<String, Object> load(Path file) {
        try {
            return loadText(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> loadText(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document = new org.yaml.snakeyaml.Yaml(options).load(text);
        return map(document);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    /** Leaf values by dotted key: {@code server: {port: 1}} becomes {@code server.port -> 1}. */
    static Map<String, Object> flatten(Map<String, Object> tree) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", tree, out);
        return out;
    }

    private static void flatten(String prefix, Map<String, Object> tree, Map<String, Object> out) {
        tree.forEach((key, value) -> {
            String path = prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key;
            if (value instanceof Map<?, ?>) {
                flatten(path, map(value), out);
            } else {
                out.put(path, value);
            }
        });
    }
}
