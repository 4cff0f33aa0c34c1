package io.databasement.packaging;

import static io.databasement.packaging.KustomizeRenderTests.list;
import static io.databasement.packaging.KustomizeRenderTests.map;
import static io.databasement.packaging.KustomizeRenderTests.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * deploy/monitoring: the alert rules and the Grafana dashboard parse, are complete, and only use dbm_* metrics that
 * some service's main source registers (Micrometer name, e.g. {@code dbm_jobs_finished_total} from
 * {@code "dbm.jobs.finished"}).
 */
class MonitoringBundleTests {

    private static final Path MONITORING = Repo.file("deploy/monitoring");
    private static final Pattern DBM_METRIC = Pattern.compile("\\bdbm_[a-z0-9_]+\\b");
    /**
     * A meter name in Java: a literal {@code "dbm.jobs.finished"}, or one with a variable segment such as
     * {@code "dbm." + kind + ".bytes"} (one meter per kind), whose variable part then matches one word.
     */
    private static final Pattern DBM_NAME =
            Pattern.compile("\"(dbm\\.[a-z0-9._-]*)\"(?:\\s*\\+\\s*[A-Za-z_][\\w.()]*\\s*\\+\\s*\"([a-z0-9._-]+)\")?");
    private static final String VARIABLE_SEGMENT = "[a-z0-9]+";
    /** A query inside an annotation's template: {@code {{ with query "max(dbm_outbox_pending)" }}}. */
    private static final Pattern TEMPLATE_QUERY = Pattern.compile("\\bquery\\s+\"([^\"]*)\"");
    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d|w|y))+");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    /** Suffixes Prometheus adds to a Micrometer meter: histogram/summary series, then the counter's _total. */
    private static final List<String> SERIES_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");
    /** Base units Micrometer's Prometheus naming appends to a meter's name. */
    private static final Set<String> UNIT_SUFFIXES = Set.of("seconds", "bytes", "timestamp_seconds");

    @Test
    void everyAlertRuleHasExprForSeverityAndSummary() {
        List<Map<String, Object>> rules = rules(alerts());
        assertThat(rules).as("rules in alerts.yml").isNotEmpty();
        Set<String> names = new HashSet<>();
        for (Map<String, Object> rule : rules) {
            String name = String.valueOf(rule.get("alert"));
            assertThat(rule.get("alert")).as("every rule is an alert (name)").isInstanceOf(String.class);
            assertThat(names.add(name)).as("alert %s defined once", name).isTrue();
            assertThat(String.valueOf(rule.get("expr"))).as("%s expr", name).isNotBlank().isNotEqualTo("null");
            assertThat(String.valueOf(rule.get("for"))).as("%s for", name).matches(DURATION);
            assertThat(map(rule.get("labels")).get("severity")).as("%s labels.severity", name).isIn(SEVERITIES);
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(String.valueOf(annotations.get("summary"))).as("%s annotations.summary", name).isNotBlank().isNotEqualTo("null");
            assertThat(String.valueOf(annotations.get("description"))).as("%s annotations.description", name)
                    .isNotBlank().isNotEqualTo("null");
        }
    }

    @Test
    void alertsCoverEachFailureMode() {
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> rule : rules(alerts())) {
            Matcher m = Pattern.compile("\\b[a-z][a-z0-9_]*\\b").matcher(String.valueOf(rule.get("expr")));
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used).as("metrics alerted on").contains(
                "dbm_schedule_missed",                  // missed schedule
                "dbm_jobs_finished_total",              // failed jobs
                "dbm_jobs_oldest_active_age_seconds",   // stuck jobs
                "dbm_dead_letters_total",               // dead letters
                "dbm_storage_calls_seconds_count",      // storage errors seen by clients
                "dbm_storage_backend_seconds_count",    // storage backend errors
                "dbm_outbox_oldest_pending_age_seconds", // outbox lag
                "kafka_consumer_fetch_manager_records_lag_max", // workers' consumer lag
                "spring_cloud_stream_binder_kafka_offset",       // catalog's consumer lag
                "resilience4j_circuitbreaker_state",    // breaker open
                "up");                                  // target down
    }

    @Test
    void thePrometheusRuleCarriesExactlyTheGroupsOfAlertsYml() {
        Map<String, Object> rule = new Yaml().load(read(MONITORING.resolve("prometheusrule.yaml")));
        assertThat(rule.get("kind")).isEqualTo("PrometheusRule");
        assertThat(rule.get("spec")).as("prometheusrule.yaml spec = alerts.yml (regenerate it, README.md)").isEqualTo(alerts());
    }

    @Test
    void everyDashboardPanelQueriesTheImportedDatasource() {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("__inputs").values()).as("dashboard __inputs")
                .anySatisfy(input -> assertThat(input.path("name").asString()).isEqualTo("DS_PROMETHEUS"));
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).as("dashboard panels").hasSizeGreaterThanOrEqualTo(10);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asString();
            assertThat(ids.add(panel.path("id").asInt())).as("panel id of %s is unique", title).isTrue();
            assertThat(panel.path("datasource").path("uid").asString()).as("%s datasource", title).isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets").values()).as("%s targets", title).isNotEmpty().allSatisfy(target ->
                    assertThat(target.path("expr").asString()).as("%s target expr", title).isNotBlank());
        }
    }

    /** Fails until the services register the meters the alerts and the dashboard use. */
    @Test
    void everyDbmMetricUsedIsRegisteredByAService() {
        Map<String, String> used = new TreeMap<>();
        for (Map<String, Object> rule : rules(alerts())) {
            collectDbmMetrics(String.valueOf(rule.get("expr")), "alert " + rule.get("alert"), used);
            for (Object text : map(rule.get("annotations")).values()) {
                Matcher query = TEMPLATE_QUERY.matcher(String.valueOf(text));
                while (query.find()) {
                    collectDbmMetrics(query.group(1), "annotations of " + rule.get("alert"), used);
                }
            }
        }
        for (JsonNode panel : panels(dashboard())) {
            for (JsonNode target : panel.path("targets").values()) {
                collectDbmMetrics(target.path("expr").asString(), "panel " + panel.path("title").asString(), used);
            }
        }
        assertThat(used).as("dbm_* metrics used").isNotEmpty();
        Set<String> registered = registeredMeterNames();
        List<String> missing = new ArrayList<>();
        used.forEach((metric, where) -> {
            if (!isRegistered(metric, registered)) {
                missing.add(metric + " (" + where + ")");
            }
        });
        assertThat(missing).as("metrics used in deploy/monitoring that no */src/main/java registers as a Micrometer "
                + "meter \"dbm....\" (registered: %s)", registered).isEmpty();
    }

    @Test
    void theMonitoringKustomizationRendersRuleMonitorAndDashboard() {
        Assumptions.assumeTrue(KustomizeRenderTests.kubectlOnPath(), "kubectl is not on the PATH");
        List<Map<String, Object>> docs = KustomizeRenderTests.render(MONITORING);
        assertThat(docs.stream().map(d -> d.get("kind")).toList())
                .containsExactlyInAnyOrder("PrometheusRule", "PodMonitor", "ConfigMap");
        Map<String, Object> configMap = docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(map(configMap.get("data")).get("grafana-dashboard.json"))
                .isEqualTo(read(MONITORING.resolve("grafana-dashboard.json")));
        Map<String, Object> podMonitor = docs.stream().filter(d -> "PodMonitor".equals(d.get("kind"))).findFirst().orElseThrow();
        List<Object> endpoints = list(map(podMonitor.get("spec")).get("podMetricsEndpoints"));
        assertThat(endpoints).isNotEmpty().allSatisfy(e -> assertThat(map(e).get("path")).isEqualTo("/actuator/prometheus"));
    }

    /** The rules and every dashboard query are valid PromQL with templates Prometheus accepts. */
    @Test
    void promtoolAcceptsTheAlertRulesAndEveryDashboardQuery(@TempDir Path tmp) throws IOException {
        Assumptions.assumeTrue(Repo.onPath("promtool"), "promtool is not on the PATH (.ci/run installs it)");
        assertThat(promtool("check", "rules", MONITORING.resolve("alerts.yml").toString())).contains("SUCCESS");

        List<Map<String, Object>> recorded = new ArrayList<>();
        for (JsonNode panel : panels(dashboard())) {
            for (JsonNode target : panel.path("targets").values()) {
                // Grafana's own variable; promtool needs a real duration in its place
                recorded.add(Map.of("record", "dashboard:query_" + recorded.size(),
                        "expr", target.path("expr").asString().replace("$__rate_interval", "5m")));
            }
        }
        Path queries = tmp.resolve("dashboard-queries.yml");
        Files.writeString(queries, new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", recorded)))));
        assertThat(promtool("check", "rules", queries.toString())).contains("SUCCESS: " + recorded.size() + " rules found");
    }

    /**
     * alerts-test.yml: each alert fires on the series the services export once its {@code for} has passed, and stays
     * quiet on healthy ones. promtool compares annotations too; their templates are checked above, so the copy the
     * tests run against leaves them out.
     */
    @Test
    void theAlertsFireOnTheServicesSeriesAndOnlyThen(@TempDir Path tmp) throws IOException {
        Assumptions.assumeTrue(Repo.onPath("promtool"), "promtool is not on the PATH (.ci/run installs it)");
        Map<String, Object> alerts = alerts();
        rules(alerts).forEach(rule -> rule.remove("annotations"));
        Files.writeString(tmp.resolve("alerts.yml"), new Yaml().dump(alerts));
        Files.copy(MONITORING.resolve("alerts-test.yml"), tmp.resolve("alerts-test.yml"));

        assertThat(promtool("test", "rules", tmp.resolve("alerts-test.yml").toString())).contains("SUCCESS");
    }

    /** promtool's output; a non-zero exit fails the test with it. */
    private static String promtool(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** {@code metric} as Prometheus shows it; {@code registered} as {@link #registeredMeterNames} lists them. */
    static boolean isRegistered(String metric, Set<String> registered) {
        List<String> candidates = new ArrayList<>();
        candidates.add(metric);
        for (String suffix : SERIES_SUFFIXES) {
            if (metric.endsWith(suffix)) {
                candidates.add(metric.substring(0, metric.length() - suffix.length()));
            }
        }
        for (String candidate : List.copyOf(candidates)) {
            if (candidate.endsWith("_total")) {
                candidates.add(candidate.substring(0, candidate.length() - "_total".length()));
            }
        }
        for (String candidate : candidates) {
            for (String meter : registered) {
                // Micrometer's Prometheus form: dots (and dashes) become underscores, a base unit may follow
                String prometheus = Stream.of(meter.replace('.', '_').replace('-', '_').split("\\*", -1))
                        .map(Pattern::quote).collect(Collectors.joining(VARIABLE_SEGMENT));
                String units = UNIT_SUFFIXES.stream().map(Pattern::quote).collect(Collectors.joining("|"));
                if (candidate.matches(prometheus + "(_(" + units + "))?")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Meter names in every module's main source; {@code *} stands for a variable segment. */
    private static Set<String> registeredMeterNames() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> modules = Files.list(Repo.root())) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher m = DBM_NAME.matcher(read(file));
                        while (m.find()) {
                            names.add(m.group(2) == null ? m.group(1) : m.group(1) + "*" + m.group(2));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void collectDbmMetrics(String text, String where, Map<String, String> into) {
        Matcher m = DBM_METRIC.matcher(text);
        while (m.find()) {
            into.putIfAbsent(m.group(), where);
        }
    }

    private static Map<String, Object> alerts() {
        return new Yaml().load(read(MONITORING.resolve("alerts.yml")));
    }

    private static List<Map<String, Object>> rules(Map<String, Object> alerts) {
        List<Object> groups = list(alerts.get("groups"));
        assertThat(groups).as("groups in alerts.yml").isNotEmpty();
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : groups) {
            assertThat(map(group).get("name")).as("group name").isNotNull();
            list(map(group).get("rules")).forEach(rule -> rules.add(map(rule)));
        }
        return rules;
    }

    private static JsonNode dashboard() {
        return JsonMapper.shared().readTree(read(MONITORING.resolve("grafana-dashboard.json")));
    }

    /** Every panel that draws something: rows are containers (their nested panels count, collapsed or not). */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels").values()) {
            if ("row".equals(panel.path("type").asString())) {
                panels.addAll(panel.path("panels").values());
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }
}
