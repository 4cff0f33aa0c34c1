package io.databasement.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml read against the services' own application.yml: nothing here runs Docker, so these checks
 * are what stands between a typo in an environment variable and a stack that starts with its defaults.
 */
class ComposeFileTests {

    /** What compose runs besides the Databasement services themselves. */
    private static final Set<String> INFRASTRUCTURE =
            Set.of("kafka", "minio", "minio-init", "catalog-db", "sample-postgres", "sample-mariadb");
    private static final Pattern HEALTH_URL = Pattern.compile("http://(127\\.0\\.0\\.1|localhost):(\\d+)/actuator/health\\b");
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?[^}]+}");
    private static final Pattern ANY_VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)[^}]*}");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|TOKEN|PASSWORD|SECRET).*");
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)");
    private static final Pattern ENV_LINE = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*)=");

    private final Compose compose = Compose.load();
    private final List<ServiceModule> modules = ServiceModule.all();

    @Test
    void composeFileIsYamlWithoutDuplicateKeys() throws Exception {
        String text = Files.readString(Compose.file());
        assertThat(Yaml.loadText(text)).containsKeys("services", "volumes");
        // the loader really refuses duplicates: the same file with one key repeated
        String duplicated = text.replaceFirst("(?m)^(\\s+)image: apache/kafka:(.*)$", "$1image: apache/kafka:$2\n$1image: x");
        assertThat(duplicated).isNotEqualTo(text);
        assertThatThrownBy(() -> Yaml.loadText(duplicated)).hasMessageContaining("duplicate key");
    }

    @Test
    void runsEveryServiceModuleAndTheInfrastructureTheyNeed() {
        Set<String> expected = new TreeSet<>(INFRASTRUCTURE);
        modules.forEach(m -> expected.add(m.name()));
        assertThat(modules).extracting(ServiceModule::name)
                .contains("gateway", "catalog-service", "storage-service", "backup-worker", "restore-worker");
        assertThat(new TreeSet<>(compose.serviceNames())).isEqualTo(expected);
    }

    @Test
    void eachServiceModuleIsBuiltFromItsOwnDockerfile() {
        for (ServiceModule module : modules) {
            Object build = compose.service(module.name()).get("build");
            String context = build instanceof Map<?, ?> map ? String.valueOf(map.get("context")) : String.valueOf(build);
            assertThat(Repo.root().resolve(context).normalize()).as(module.name() + " build context").isEqualTo(module.dir());
            assertThat(module.dir().resolve("Dockerfile")).as(module.name()).exists();
        }
    }

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        Set<String> oneShot = compose.oneShotJobs();
        assertThat(oneShot).containsExactly("minio-init");
        for (String service : compose.serviceNames()) {
            if (oneShot.contains(service)) {
                assertThat(compose.service(service).get("restart")).as(service + " runs once").isIn(null, "no");
            } else {
                assertThat(compose.healthcheck(service)).as(service + " healthcheck").isNotBlank();
            }
        }
    }

    @Test
    void everyDependencyWaitsForAConditionItCanReach() {
        for (String service : compose.serviceNames()) {
            compose.dependsOn(service).forEach((dependency, condition) -> {
                String what = service + " -> " + dependency;
                assertThat(compose.serviceNames()).as(what).contains(dependency);
                assertThat(condition).as(what + " condition").isIn("service_healthy", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                    assertThat(compose.healthcheck(dependency)).as(what + ": waits for health it never reports").isNotNull();
                }
            });
        }
        // the gateway comes up last, so port 8080 answering means the whole system is there
        Set<String> waitedFor = new TreeSet<>(compose.dependsOn("gateway").keySet());
        modules.stream().map(ServiceModule::name).filter(n -> !n.equals("gateway"))
                .forEach(n -> assertThat(waitedFor).as("gateway waits for " + n).contains(n));
    }

    @Test
    void onlyTheGatewayIsPublishedOnPort8080() {
        for (String service : compose.serviceNames()) {
            List<String> ports = compose.list(service, "ports");
            if (service.equals("gateway")) {
                assertThat(ports).containsExactly("8080:8080");
            } else {
                assertThat(ports).as(service + " publishes nothing").isEmpty();
            }
        }
    }

    @Test
    void eachServiceListensAndIsProbedOnItsApplicationYmlPort() {
        for (ServiceModule module : modules) {
            String name = module.name();
            int port = port(module);
            assertThat(containerPorts(name)).as(name + " container port (expose, or the target of ports)")
                    .containsExactly(Integer.toString(port));
            String healthcheck = compose.healthcheck(name);
            Matcher url = HEALTH_URL.matcher(healthcheck);
            assertThat(url.find()).as(name + " healthcheck asks /actuator/health: " + healthcheck).isTrue();
            assertThat(Integer.parseInt(url.group(2))).as(name + " healthcheck port").isEqualTo(port);
            assertThat(healthcheck).as(name + ": curl -f, so an unhealthy answer fails the check").contains("curl -f");
        }
        assertThat(port(ServiceModule.of("gateway"))).isEqualTo(8080);
    }

    @Test
    void theServicesListenBeyondLoopbackInTheirContainers() {
        for (ServiceModule module : modules) {
            // ./dbm binds to 127.0.0.1 through SERVER_ADDRESS; in a container that would shut out every other one
            assertThat(module.properties()).as(module.name()).doesNotContainKey("server.address");
            assertThat(compose.environment(module.name()).get("SERVER_ADDRESS")).as(module.name())
                    .isIn(null, "0.0.0.0", "::");
        }
    }

    @Test
    void everyEnvironmentVariableIsOneTheServiceReads() {
        List<String> unread = new ArrayList<>();
        for (ServiceModule module : modules) {
            for (String variable : compose.environment(module.name()).keySet()) {
                // Spring's own server settings (not in every application.yml) and the JVM's options variable
                if (!module.reads(variable) && !Set.of("SERVER_PORT", "SERVER_ADDRESS", "JAVA_TOOL_OPTIONS").contains(variable)) {
                    unread.add(module.name() + ": " + variable);
                }
            }
        }
        assertThat(unread).isEmpty();
        // and the check tells a real name from a typo
        ServiceModule storage = ServiceModule.of("storage-service");
        assertThat(storage.reads("DBM_STORAGE_ENCRYPTION_KEYS_LOCAL")).isTrue();
        assertThat(storage.reads("DBM_KAFKA_BOOTSTRAP")).isTrue();
        assertThat(storage.reads("SPRING_KAFKA_BOOTSTRAPSERVERS")).isTrue();
        assertThat(storage.reads("DBM_STORAGE_SEALKEY")).isTrue();
        assertThat(storage.reads("DBM_KAFKA_BOOTSTRAP_SERVERS")).isFalse();
        assertThat(storage.reads("DBM_CATALOG_DB_URL")).isFalse();
    }

    @Test
    void addressesPointAtComposeServicesOnThePortsTheyListenOn() {
        Map<String, Integer> listening = new java.util.HashMap<>();
        modules.forEach(m -> listening.put(m.name(), port(m)));
        listening.put("kafka", kafkaClientPort());
        listening.put("catalog-db", 5432);
        int checked = 0;
        for (ServiceModule module : modules) {
            for (Map.Entry<String, String> e : compose.environment(module.name()).entrySet()) {
                String variable = e.getKey();
                String value = e.getValue();
                String what = module.name() + " " + variable + "=" + value;
                if (variable.equals("DBM_KAFKA_BOOTSTRAP")) {
                    for (String server : value.split(",")) {
                        String[] hostPort = server.strip().split(":");
                        assertThat(listening.get(hostPort[0])).as(what).isEqualTo(Integer.parseInt(hostPort[1]));
                        checked++;
                    }
                } else if (variable.endsWith("_URL") && value.startsWith("jdbc:")) {
                    Matcher jdbc = JDBC.matcher(value);
                    assertThat(jdbc.matches()).as(what).isTrue();
                    Map<String, String> db = compose.environment(jdbc.group(1));
                    assertThat(compose.service(jdbc.group(1)).get("image").toString()).as(what).startsWith("postgres:");
                    assertThat(Integer.parseInt(jdbc.group(2))).as(what).isEqualTo(listening.get(jdbc.group(1)));
                    assertThat(jdbc.group(3)).as(what + ": the database the image creates").isEqualTo(db.get("POSTGRES_DB"));
                    String prefix = variable.substring(0, variable.length() - "URL".length());
                    assertThat(compose.environment(module.name()).get(prefix + "USER")).as(what).isEqualTo(db.get("POSTGRES_USER"));
                    assertThat(compose.environment(module.name()).get(prefix + "PASSWORD")).as(what)
                            .isEqualTo(db.get("POSTGRES_PASSWORD"));
                    checked++;
                } else if (variable.endsWith("_URL")) {
                    URI uri = URI.create(value);
                    assertThat(uri.getScheme()).as(what).isEqualTo("http");
                    assertThat(listening.get(uri.getHost())).as(what).isEqualTo(uri.getPort());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(modules.size() + 3);
    }

    @Test
    void secretsComeFromTheEnvironmentAndGenEnvWritesThemAll() {
        String text = ServiceModule.read(Compose.file());
        Set<String> required = new TreeSet<>();
        Matcher m = REQUIRED.matcher(text);
        while (m.find()) {
            required.add(m.group(1));
        }
        Set<String> used = new TreeSet<>();
        Matcher any = ANY_VARIABLE.matcher(text);
        while (any.find()) {
            used.add(any.group(1));
        }
        // no ${X:-default} or ${X} anywhere: a secret with a default is a published secret, one without ":?" is empty
        assertThat(used).isEqualTo(required);
        for (String service : compose.serviceNames()) {
            compose.environment(service).forEach((variable, value) -> {
                if (SECRET_NAME.matcher(variable).matches()) {
                    assertThat(value).as(service + " " + variable + " comes from .env").matches(REQUIRED.pattern());
                }
            });
        }
        Set<String> generated = new LinkedHashSet<>();
        Matcher line = ENV_LINE.matcher(ServiceModule.read(Repo.file("deploy/compose/gen-env")));
        while (line.find()) {
            generated.add(line.group(1));
        }
        assertThat(generated).as("deploy/compose/gen-env writes").containsAll(required);
        assertThat(Repo.file("deploy/compose/gen-env")).isExecutable();
    }

    @Test
    void sampleDatabasesLoadTheirSqlOnFirstStart() {
        for (String service : List.of("sample-postgres", "sample-mariadb")) {
            List<String> mounts = compose.list(service, "volumes").stream()
                    .filter(v -> v.contains("/docker-entrypoint-initdb.d/")).toList();
            assertThat(mounts).as(service).hasSize(1);
            String source = mounts.get(0).split(":")[0];
            assertThat(Repo.root().resolve(source).normalize()).as(service + " init SQL").isRegularFile()
                    .startsWith(Repo.file("deploy/compose"));
        }
    }

    private int port(ServiceModule module) {
        String override = compose.environment(module.name()).get("SERVER_PORT");
        return override == null ? module.defaultPort() : Integer.parseInt(override);
    }

    /** The ports a service's container offers: {@code expose} entries and the container side of {@code ports}. */
    private Set<String> containerPorts(String service) {
        Set<String> out = new TreeSet<>();
        compose.list(service, "expose").forEach(p -> out.add(p.replace("/tcp", "")));
        compose.list(service, "ports").forEach(p -> out.add(p.substring(p.lastIndexOf(':') + 1).replace("/tcp", "")));
        return out;
    }

    private int kafkaClientPort() {
        String advertised = compose.environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        Matcher m = Pattern.compile("PLAINTEXT://kafka:(\\d+)").matcher(advertised);
        assertThat(m.find()).as("kafka advertises itself as kafka:<port>: " + advertised).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
