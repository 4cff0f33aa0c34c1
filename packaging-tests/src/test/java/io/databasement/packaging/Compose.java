package io.databasement.packaging;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** docker-compose.yml, parsed (merge keys applied, duplicate keys refused). */
record Compose(Map<String, Object> document) {

    static Compose load() {
        return new Compose(Yaml.load(file()));
    }

    static Path file() {
        return Repo.file("docker-compose.yml");
    }

    Map<String, Object> services() {
        return Yaml.map(document.get("services"));
    }

    Set<String> serviceNames() {
        return services().keySet();
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = Yaml.map(services().get(name));
        if (service.isEmpty()) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The environment as a map, whether written as a map or as a list of {@code NAME=value}. */
    Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                String[] kv = String.valueOf(item).split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        }
        return out;
    }

    /** depends_on as dependency -> condition (null when written as a plain list, which waits for nothing). */
    Map<String, String> dependsOn(String name) {
        Object deps = service(name).get("depends_on");
        Map<String, String> out = new LinkedHashMap<>();
        if (deps instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> m && m.get("condition") != null
                    ? String.valueOf(m.get("condition")) : null));
        } else if (deps instanceof List<?> list) {
            list.forEach(d -> out.put(String.valueOf(d), null));
        }
        return out;
    }

    /** The healthcheck's command as one string, or null when there is none (or it is disabled). */
    String healthcheck(String name) {
        Map<String, Object> healthcheck = Yaml.map(service(name).get("healthcheck"));
        if (healthcheck.isEmpty() || Boolean.TRUE.equals(healthcheck.get("disable"))) {
            return null;
        }
        Object test = healthcheck.get("test");
        if (test instanceof List<?> list) {
            if (list.isEmpty() || "NONE".equals(list.get(0))) {
                return null;
            }
            return String.join(" ", list.subList(1, list.size()).stream().map(String::valueOf).toList());
        }
        return test == null ? null : String.valueOf(test);
    }

    /** Services others wait for with service_completed_successfully: one-shot jobs. */
    Set<String> oneShotJobs() {
        Set<String> out = new java.util.TreeSet<>();
        for (String service : serviceNames()) {
            dependsOn(service).forEach((dependency, condition) -> {
                if ("service_completed_successfully".equals(condition)) {
                    out.add(dependency);
                }
            });
        }
        return out;
    }

    List<String> list(String service, String key) {
        return Yaml.list(service(service).get(key)).stream().map(String::valueOf).toList();
    }
}
