package io.databasement.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders every overlay under {@code deploy/overlays} with {@code kubectl kustomize} (and each overlay again with
 * the other autoscaler component, the documented switch) and checks the output against the services themselves:
 * their {@code application.yml} (port, environment variables, who calls whom) and {@code contracts}' Topics.
 * Nothing is applied to a cluster.
 */
class KustomizeRenderTests {

    private static final Path DEPLOY = Repo.file("deploy");
    private static final List<String> SERVICES =
            List.of("gateway", "catalog-service", "storage-service", "backup-worker", "restore-worker");
    private static final String RESTORE_WORKER = "restore-worker";
    private static final String ACTUATOR_READINESS = "/actuator/health/readiness";
    private static final String ACTUATOR_LIVENESS = "/actuator/health/liveness";
    /** Which overlays generate the Secrets (dev values in git) and which expect them made outside (prod). */
    private static final Map<String, Boolean> GENERATES_SECRETS = Map.of("dev", true, "prod", false);
    /** The one namespace outside the application's own that may reach a non-gateway pod: Prometheus. */
    private static final Map<String, Object> MONITORING_NAMESPACE = Map.of("kubernetes.io/metadata.name", "monitoring");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    @BeforeAll
    static void kubectlIsInstalled() {
        Assumptions.assumeTrue(kubectlOnPath(), "kubectl is not on the PATH: the kustomize overlays are not rendered");
    }

    static boolean kubectlOnPath() {
        return Repo.onPath("kubectl");
    }

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(DEPLOY.resolve("overlays"))) {
            return dirs.filter(dir -> Files.exists(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static List<Map<String, Object>> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, name -> render(DEPLOY.resolve("overlays").resolve(name)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deployments

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceIsDeployedWithItsImage(String overlay) {
        List<Map<String, Object>> docs = rendered(overlay);
        assertThat(names(docs, "Deployment")).as("Deployments of %s", overlay).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(names(docs, "Service")).as("Services of %s", overlay).containsAll(SERVICES);
        for (Map<String, Object> deployment : ofKind(docs, "Deployment")) {
            String name = name(deployment);
            String image = str(container(deployment).get("image"));
            assertThat(image).as("%s: image of %s (set by kustomize images:)", overlay, name)
                    .matches(Pattern.quote("databasement/" + name) + "(:[\\w][\\w.-]*|@sha256:[0-9a-f]{64})");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAskTheActuatorOnTheServicesOwnPort(String overlay) {
        for (Map<String, Object> deployment : ofKind(rendered(overlay), "Deployment")) {
            String name = name(deployment);
            Map<String, Object> container = container(deployment);
            int port = containerPort(container);
            assertThat(port).as("%s: container port of %s = server.port in its application.yml", overlay, name)
                    .isEqualTo(ServiceYaml.of(name).serverPort());
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
                assertThat(get).as("%s: %s of %s", overlay, probe, name).isNotEmpty();
                assertThat(resolvePort(container, get.get("port")))
                        .as("%s: %s port of %s", overlay, probe, name).isEqualTo(port);
                String expected = probe.equals("readinessProbe") ? ACTUATOR_READINESS : ACTUATOR_LIVENESS;
                assertThat(str(get.get("path"))).as("%s: %s path of %s", overlay, probe, name).isEqualTo(expected);
            }
            Map<String, Object> service = byName(rendered(overlay), "Service", name);
            for (Object p : list(map(service.get("spec")).get("ports"))) {
                assertThat(resolvePort(container, map(p).get("targetPort")))
                        .as("%s: Service %s targets the container port", overlay, name).isEqualTo(port);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasRequestsAndLimits(String overlay) {
        for (Map<String, Object> deployment : ofKind(rendered(overlay), "Deployment")) {
            Map<String, Object> resources = map(container(deployment).get("resources"));
            for (String bound : List.of("requests", "limits")) {
                assertThat(map(resources.get(bound))).as("%s: %s %s", overlay, name(deployment), bound)
                        .containsKeys("cpu", "memory");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void containersRunAsNonRootOnAReadOnlyRootWithAWritableTmp(String overlay) {
        for (Map<String, Object> deployment : ofKind(rendered(overlay), "Deployment")) {
            String name = name(deployment);
            Map<String, Object> pod = podSpec(deployment);
            Map<String, Object> podContext = map(pod.get("securityContext"));
            Map<String, Object> context = map(container(deployment).get("securityContext"));
            assertThat(firstNonNull(context.get("runAsNonRoot"), podContext.get("runAsNonRoot")))
                    .as("%s: %s runAsNonRoot", overlay, name).isEqualTo(true);
            Object uid = firstNonNull(context.get("runAsUser"), podContext.get("runAsUser"));
            assertThat(uid).as("%s: %s runAsUser", overlay, name).isInstanceOf(Integer.class);
            assertThat((Integer) uid).as("%s: %s runAsUser", overlay, name).isPositive();
            assertThat(context.get("readOnlyRootFilesystem")).as("%s: %s readOnlyRootFilesystem", overlay, name).isEqualTo(true);
            assertThat(context.get("allowPrivilegeEscalation")).as("%s: %s allowPrivilegeEscalation", overlay, name).isEqualTo(false);
            assertThat(list(map(context.get("capabilities")).get("drop"))).as("%s: %s dropped capabilities", overlay, name)
                    .contains("ALL");
            assertThat(map(firstNonNull(context.get("seccompProfile"), podContext.get("seccompProfile"))).get("type"))
                    .as("%s: %s seccomp profile", overlay, name).isEqualTo("RuntimeDefault");
            String tmpVolume = list(container(deployment).get("volumeMounts")).stream().map(KustomizeRenderTests::map)
                    .filter(mount -> "/tmp".equals(mount.get("mountPath"))).map(mount -> str(mount.get("name")))
                    .findFirst().orElse(null);
            assertThat(tmpVolume).as("%s: %s mounts a writable /tmp", overlay, name).isNotNull();
            assertThat(list(pod.get("volumes")).stream().map(KustomizeRenderTests::map)
                    .filter(volume -> tmpVolume.equals(volume.get("name"))).findFirst().orElseThrow())
                    .as("%s: %s /tmp volume", overlay, name).containsKey("emptyDir");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyEnvironmentVariableIsOneTheServiceReads(String overlay) {
        for (Map<String, Object> deployment : ofKind(rendered(overlay), "Deployment")) {
            String name = name(deployment);
            Map<String, Object> container = container(deployment);
            assertThat(container.get("envFrom")).as("%s: %s lists its variables by name (no envFrom)", overlay, name).isNull();
            ServiceYaml yaml = ServiceYaml.of(name);
            Set<String> set = envNames(container);
            for (String variable : set) {
                assertThat(yaml.reads(variable))
                        .as("%s: %s sets %s, which is neither a ${%s} in %s/src/main/resources/application.yml nor "
                                + "a relaxed name of one of its properties", overlay, name, variable, variable, name)
                        .isTrue();
            }
            assertThat(set).as("%s: %s sets every address (loopback default) and secret (empty default) its "
                    + "application.yml reads", overlay, name).containsAll(yaml.mustBeSet());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Secrets and ConfigMaps

    @ParameterizedTest
    @MethodSource("overlays")
    void secretsAreGeneratedInDevAndOnlyReferencedInProd(String overlay) {
        assertThat(GENERATES_SECRETS).as("decide whether overlay %s generates its Secrets", overlay).containsKey(overlay);
        List<Map<String, Object>> docs = rendered(overlay);
        Map<String, Set<String>> referenced = new LinkedHashMap<>();
        Set<String> optional = new HashSet<>();
        for (Map<String, Object> deployment : ofKind(docs, "Deployment")) {
            for (Object e : list(container(deployment).get("env"))) {
                Map<String, Object> ref = map(map(map(e).get("valueFrom")).get("secretKeyRef"));
                if (!ref.isEmpty()) {
                    referenced.computeIfAbsent(str(ref.get("name")), k -> new TreeSet<>()).add(str(ref.get("key")));
                    if (Boolean.TRUE.equals(ref.get("optional"))) {
                        optional.add(str(ref.get("key")));
                    }
                }
            }
        }
        assertThat(referenced).as("%s: Secrets referenced", overlay).isNotEmpty();
        if (GENERATES_SECRETS.get(overlay)) {
            for (Map.Entry<String, Set<String>> secret : referenced.entrySet()) {
                Map<String, Object> rendered = byName(docs, "Secret", secret.getKey());
                assertThat(map(rendered.get("data")).keySet()).as("%s: keys of Secret %s", overlay, secret.getKey())
                        .containsAll(secret.getValue());
            }
        } else {
            assertThat(ofKind(docs, "Secret")).as("%s: Secrets are made outside git, none is rendered", overlay).isEmpty();
            assertThat(referenced.keySet()).as("%s: the Secret deploy/README.md tells to create", overlay)
                    .containsExactly("databasement-secrets");
            String readme = read(DEPLOY.resolve("README.md"));
            Set<String> keys = referenced.values().stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
            for (String key : keys) {
                assertThat(readme).as("deploy/README.md names the Secret key %s", key).contains(key);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void configMapKeysReferencedExist(String overlay) {
        List<Map<String, Object>> docs = rendered(overlay);
        for (Map<String, Object> deployment : ofKind(docs, "Deployment")) {
            for (Object e : list(container(deployment).get("env"))) {
                Map<String, Object> ref = map(map(map(e).get("valueFrom")).get("configMapKeyRef"));
                if (!ref.isEmpty()) {
                    assertThat(map(byName(docs, "ConfigMap", str(ref.get("name"))).get("data")))
                            .as("%s: %s reads ConfigMap key %s", overlay, name(deployment), ref.get("key"))
                            .containsKey(str(ref.get("key")));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Restore workers' autoscaling

    @ParameterizedTest
    @MethodSource("overlays")
    void exactlyOneAutoscalerOwnsTheRestoreWorkers(String overlay) {
        checkAutoscaling(overlay, rendered(overlay));
    }

    /** The documented switch: the other component in the overlay's components: list renders as well. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theOtherAutoscalerComponentRendersInItsPlace(String overlay, @TempDir Path temp) throws IOException {
        copyTree(DEPLOY, temp.resolve("deploy"));
        Path kustomization = temp.resolve("deploy/overlays").resolve(overlay).resolve("kustomization.yaml");
        Map<String, Object> k = new Yaml().load(read(kustomization));
        List<Object> components = new ArrayList<>(list(k.get("components")));
        int keda = components.indexOf("../../components/keda");
        int hpa = components.indexOf("../../components/hpa");
        assertThat(keda < 0 ^ hpa < 0).as("%s uses exactly one of components/keda and components/hpa", overlay).isTrue();
        components.set(Math.max(keda, hpa), keda >= 0 ? "../../components/hpa" : "../../components/keda");
        k.put("components", components);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(kustomization, new Yaml(options).dump(k));
        List<Map<String, Object>> docs = render(kustomization.getParent());
        assertThat(ofKind(docs, keda >= 0 ? "HorizontalPodAutoscaler" : "ScaledObject"))
                .as("%s switched to the other autoscaler", overlay).hasSize(1);
        checkAutoscaling(overlay + " (switched)", docs);
    }

    private static void checkAutoscaling(String overlay, List<Map<String, Object>> docs) {
        List<Map<String, Object>> scalers = Stream.concat(ofKind(docs, "ScaledObject").stream(),
                ofKind(docs, "HorizontalPodAutoscaler").stream()).toList();
        assertThat(scalers).as("%s: autoscalers (one kind, one object, for restore-worker)", overlay).hasSize(1);
        Map<String, Object> scaler = scalers.get(0);
        Map<String, Object> spec = map(scaler.get("spec"));
        String target = str(map(spec.get("scaleTargetRef")).get("name"));
        assertThat(target).as("%s: autoscaler target", overlay).isEqualTo(RESTORE_WORKER);
        Map<String, Object> deployment = byName(docs, "Deployment", target);
        assertThat(map(deployment.get("spec"))).as("%s: the autoscaled Deployment leaves replicas to the autoscaler", overlay)
                .doesNotContainKey("replicas");
        int partitions = Contracts.intConstant("PARTITIONS");
        boolean keda = scaler.get("kind").equals("ScaledObject");
        int max = (Integer) spec.get(keda ? "maxReplicaCount" : "maxReplicas");
        int min = (Integer) spec.getOrDefault(keda ? "minReplicaCount" : "minReplicas", 1);
        assertThat(max).as("%s: max replicas <= partitions of the restore command topic", overlay)
                .isBetween(Math.max(1, min), partitions);
        if (keda) {
            assertThat(map(spec.get("fallback"))).as("%s: ScaledObject fallback", overlay).containsKeys("failureThreshold", "replicas");
            assertThat((Integer) map(spec.get("fallback")).get("replicas")).as("%s: fallback replicas", overlay).isBetween(1, max);
            List<Object> triggers = list(spec.get("triggers"));
            assertThat(triggers).as("%s: ScaledObject triggers", overlay).hasSize(1);
            Map<String, Object> trigger = map(triggers.get(0));
            assertThat(trigger.get("type")).isEqualTo("kafka");
            Map<String, Object> metadata = map(trigger.get("metadata"));
            assertThat(metadata.get("consumerGroup")).as("%s: the restore workers' consumer group", overlay)
                    .isEqualTo(ServiceYaml.of(RESTORE_WORKER).flat().get("spring.kafka.consumer.group-id"));
            assertThat(metadata.get("topic")).as("%s: the restore command topic", overlay)
                    .isEqualTo(Contracts.stringConstant("RESTORE_COMMANDS"));
            assertThat(metadata.get("bootstrapServers")).as("%s: the brokers the workers use", overlay)
                    .isEqualTo(configValue(docs, "DBM_KAFKA_BOOTSTRAP"));
            assertThat(str(metadata.get("lagThreshold"))).as("%s: lagThreshold", overlay).matches("[1-9][0-9]*");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void disruptionBudgetsSelectTheWorkersPods(String overlay) {
        List<Map<String, Object>> docs = rendered(overlay);
        Set<String> covered = new TreeSet<>();
        for (Map<String, Object> pdb : ofKind(docs, "PodDisruptionBudget")) {
            Map<String, Object> selector = map(map(map(pdb.get("spec")).get("selector")).get("matchLabels"));
            List<String> selected = ofKind(docs, "Deployment").stream().filter(d -> selects(selector, podLabels(d)))
                    .map(KustomizeRenderTests::name).toList();
            assertThat(selected).as("%s: PDB %s selects the pods of one Deployment", overlay, name(pdb)).hasSize(1);
            covered.addAll(selected);
        }
        assertThat(covered).as("%s: Deployments with a PDB", overlay).contains("backup-worker", RESTORE_WORKER);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void replicatedDeploymentsSpreadOverNodes(String overlay) {
        for (Map<String, Object> deployment : ofKind(rendered(overlay), "Deployment")) {
            Object replicas = map(deployment.get("spec")).get("replicas");
            if (replicas instanceof Integer n && n > 1) {
                assertThat(list(podSpec(deployment).get("topologySpreadConstraints")).stream().map(KustomizeRenderTests::map)
                        .map(c -> c.get("topologyKey")).toList())
                        .as("%s: %s (%d replicas) spreads over nodes", overlay, name(deployment), n)
                        .contains("kubernetes.io/hostname");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Network

    @ParameterizedTest
    @MethodSource("overlays")
    void ingressIsDeniedByDefault(String overlay) {
        assertThat(ofKind(rendered(overlay), "NetworkPolicy")).as("%s: a default-deny ingress policy", overlay)
                .anySatisfy(policy -> {
                    Map<String, Object> spec = map(policy.get("spec"));
                    assertThat(map(spec.get("podSelector"))).isEmpty();
                    assertThat(list(spec.get("policyTypes"))).contains("Ingress");
                    assertThat(list(spec.get("ingress"))).isEmpty();
                });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheGatewayIsReachableFromOutsideTheNamespace(String overlay) {
        List<Map<String, Object>> docs = rendered(overlay);
        for (Map<String, Object> policy : ofKind(docs, "NetworkPolicy")) {
            Map<String, Object> spec = map(policy.get("spec"));
            List<String> selected = selectedDeployments(docs, map(spec.get("podSelector")));
            for (Object r : list(spec.get("ingress"))) {
                Map<String, Object> rule = map(r);
                List<Object> from = list(rule.get("from"));
                boolean fromAnywhere = from.isEmpty();
                for (Object p : from) {
                    Map<String, Object> peer = map(p);
                    if (peer.containsKey("ipBlock")) {
                        fromAnywhere = true;
                    } else if (peer.containsKey("namespaceSelector")) {
                        boolean prometheus = map(map(peer.get("namespaceSelector")).get("matchLabels")).equals(MONITORING_NAMESPACE)
                                && !peer.containsKey("podSelector");
                        if (!prometheus) {
                            fromAnywhere = true;
                        } else {
                            for (String d : selected) {
                                assertThat(ports(rule)).as("%s: %s opens to Prometheus only the metrics port of %s",
                                        overlay, name(policy), d).contains(containerPort(container(byName(docs, "Deployment", d))));
                            }
                        }
                    }
                }
                if (fromAnywhere) {
                    assertThat(selected).as("%s: %s lets traffic from outside the namespace reach these pods", overlay,
                            name(policy)).containsOnly("gateway");
                    assertThat(ports(rule)).as("%s: %s opens only the gateway's port", overlay, name(policy))
                            .containsOnly(ServiceYaml.of("gateway").serverPort());
                }
            }
        }
    }

    /** Within the namespace a service accepts exactly the callers whose application.yml has a *-url to it. */
    @ParameterizedTest
    @MethodSource("overlays")
    void servicesAcceptCallsOnlyFromTheServicesThatCallThem(String overlay) {
        List<Map<String, Object>> docs = rendered(overlay);
        Map<Integer, String> byPort = new LinkedHashMap<>();
        for (String service : SERVICES) {
            byPort.put(ServiceYaml.of(service).serverPort(), service);
        }
        for (String target : SERVICES) {
            if (target.equals("gateway")) {
                continue; // reachable from anywhere: onlyTheGatewayIsReachableFromOutsideTheNamespace
            }
            Set<String> callers = new TreeSet<>();
            for (String caller : SERVICES) {
                if (ServiceYaml.of(caller).calledPorts().stream().map(byPort::get).anyMatch(target::equals)) {
                    callers.add(caller);
                }
            }
            Set<String> allowed = new TreeSet<>();
            for (Map<String, Object> policy : ofKind(docs, "NetworkPolicy")) {
                Map<String, Object> spec = map(policy.get("spec"));
                if (!selectedDeployments(docs, map(spec.get("podSelector"))).contains(target)) {
                    continue;
                }
                for (Object r : list(spec.get("ingress"))) {
                    for (Object p : list(map(r).get("from"))) {
                        Map<String, Object> peer = map(p);
                        if (peer.containsKey("podSelector") && !peer.containsKey("namespaceSelector")) {
                            allowed.addAll(selectedDeployments(docs, map(peer.get("podSelector"))));
                        }
                    }
                }
            }
            assertThat(allowed).as("%s: pods of this namespace allowed to call %s (callers per the *-url properties: %s)",
                    overlay, target, callers).isEqualTo(callers);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void ingressRoutesOnlyToTheGateway(String overlay) {
        List<Map<String, Object>> docs = rendered(overlay);
        List<Map<String, Object>> ingresses = ofKind(docs, "Ingress");
        assertThat(ingresses).as("%s: Ingresses", overlay).isNotEmpty();
        Map<String, Object> gatewayService = byName(docs, "Service", "gateway");
        Set<Object> gatewayPorts = new HashSet<>();
        for (Object p : list(map(gatewayService.get("spec")).get("ports"))) {
            gatewayPorts.add(map(p).get("port"));
            gatewayPorts.add(map(p).get("name"));
        }
        for (Map<String, Object> ingress : ingresses) {
            Map<String, Object> spec = map(ingress.get("spec"));
            List<Map<String, Object>> backends = new ArrayList<>();
            if (spec.containsKey("defaultBackend")) {
                backends.add(map(spec.get("defaultBackend")));
            }
            for (Object rule : list(spec.get("rules"))) {
                for (Object path : list(map(map(rule).get("http")).get("paths"))) {
                    backends.add(map(map(path).get("backend")));
                }
            }
            assertThat(backends).as("%s: backends of Ingress %s", overlay, name(ingress)).isNotEmpty();
            for (Map<String, Object> backend : backends) {
                Map<String, Object> service = map(backend.get("service"));
                assertThat(service.get("name")).as("%s: Ingress %s backend", overlay, name(ingress)).isEqualTo("gateway");
                Map<String, Object> port = map(service.get("port"));
                assertThat(firstNonNull(port.get("name"), port.get("number"))).as("%s: Ingress %s backend port", overlay,
                        name(ingress)).isIn(gatewayPorts);
            }
        }
    }

    @Test
    void prodServesTheGatewayOverTls() {
        List<Map<String, Object>> ingresses = ofKind(rendered("prod"), "Ingress");
        assertThat(ingresses).isNotEmpty().allSatisfy(ingress -> {
            Map<String, Object> spec = map(ingress.get("spec"));
            Set<Object> hosts = list(spec.get("rules")).stream().map(r -> map(r).get("host")).collect(Collectors.toSet());
            assertThat(hosts).as("prod Ingress hosts").doesNotContainNull();
            Set<Object> tlsHosts = list(spec.get("tls")).stream().flatMap(t -> list(map(t).get("hosts")).stream())
                    .collect(Collectors.toSet());
            assertThat(tlsHosts).as("prod Ingress TLS hosts").containsAll(hosts);
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // rendering

    static List<Map<String, Object>> render(Path kustomization) {
        List<String> command = List.of("kubectl", "kustomize", kustomization.toString());
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish within 60 s; stderr: %s", command, stderr.getNow(""));
            }
            if (process.exitValue() != 0) {
                fail("%s exited with %d:%n%s", command, process.exitValue(), stderr.join());
            }
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Object doc : new Yaml().loadAll(stdout.join())) {
                if (doc != null) {
                    docs.add(map(doc));
                }
            }
            assertThat(docs).as("objects rendered by %s", command).isNotEmpty();
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // reading the rendered objects

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static List<String> names(List<Map<String, Object>> docs, String kind) {
        return ofKind(docs, kind).stream().map(KustomizeRenderTests::name).toList();
    }

    private static Map<String, Object> byName(List<Map<String, Object>> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> name.equals(name(d))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " rendered; there are "
                        + names(docs, kind)));
    }

    private static String name(Map<String, Object> doc) {
        return str(map(doc.get("metadata")).get("name"));
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        return map(map(map(deployment.get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> podLabels(Map<String, Object> deployment) {
        return map(map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = list(podSpec(deployment).get("containers"));
        assertThat(containers).as("containers of %s", name(deployment)).hasSize(1);
        return map(containers.get(0));
    }

    private static int containerPort(Map<String, Object> container) {
        List<Object> ports = list(container.get("ports"));
        assertThat(ports).as("ports of container %s", container.get("name")).hasSize(1);
        return (Integer) map(ports.get(0)).get("containerPort");
    }

    private static int resolvePort(Map<String, Object> container, Object port) {
        if (port instanceof Integer number) {
            return number;
        }
        return list(container.get("ports")).stream().map(KustomizeRenderTests::map).filter(p -> Objects.equals(port, p.get("name")))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port + " in " + container.get("name")));
    }

    private static Set<String> envNames(Map<String, Object> container) {
        return list(container.get("env")).stream().map(e -> str(map(e).get("name"))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> ports(Map<String, Object> rule) {
        return list(rule.get("ports")).stream().map(p -> map(p).get("port")).map(p -> (Integer) p)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> selectedDeployments(List<Map<String, Object>> docs, Map<String, Object> podSelector) {
        assertThat(podSelector).as("pod selectors use matchLabels only").doesNotContainKey("matchExpressions");
        Map<String, Object> labels = map(podSelector.get("matchLabels"));
        return ofKind(docs, "Deployment").stream().filter(d -> selects(labels, podLabels(d))).map(KustomizeRenderTests::name)
                .toList();
    }

    private static boolean selects(Map<String, Object> matchLabels, Map<String, Object> labels) {
        return labels.entrySet().containsAll(matchLabels.entrySet());
    }

    private static String configValue(List<Map<String, Object>> docs, String key) {
        List<Object> values = ofKind(docs, "ConfigMap").stream().map(c -> map(c.get("data")).get(key)).filter(Objects::nonNull)
                .toList();
        assertThat(values).as("ConfigMap entries %s", key).hasSize(1);
        return str(values.get(0));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }

    private static Object firstNonNull(Object a, Object b) {
        return a != null ? a : b;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the services' own configuration

    /** Constants of contracts' Topics, read from its source (this module does not depend on contracts). */
    private static final class Contracts {

        private static final String TOPICS = read(Repo.file("contracts/src/main/java/io/databasement/contracts/Topics.java"));

        static int intConstant(String name) {
            Matcher m = Pattern.compile("\\bint\\s+" + name + "\\s*=\\s*(\\d+)\\s*;").matcher(TOPICS);
            assertThat(m.find()).as("Topics.%s", name).isTrue();
            return Integer.parseInt(m.group(1));
        }

        static String stringConstant(String name) {
            Matcher m = Pattern.compile("\\bString\\s+" + name + "\\s*=\\s*\"([^\"]+)\"\\s*;").matcher(TOPICS);
            assertThat(m.find()).as("Topics.%s", name).isTrue();
            return m.group(1);
        }
    }

    /** One service module's {@code application.yml} and its {@code @ConfigurationProperties} sources. */
    private record ServiceYaml(String module, String text, Map<String, String> flat, List<Path> propertySources) {

        private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
        private static final Pattern PROPERTIES_PREFIX =
                Pattern.compile("@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"([^\"]+)\"");
        private static final Pattern IDENTIFIER = Pattern.compile("\\b[A-Za-z_][A-Za-z0-9_]*\\b");
        private static final Set<String> READ_BY_THE_JVM = Set.of("JAVA_TOOL_OPTIONS");
        private static final Map<String, ServiceYaml> CACHE = new ConcurrentHashMap<>();

        static ServiceYaml of(String module) {
            return CACHE.computeIfAbsent(module, m -> {
                String text = read(Repo.file(m + "/src/main/resources/application.yml"));
                Map<String, String> flat = new LinkedHashMap<>();
                flatten("", new Yaml().load(text), flat);
                List<Path> sources;
                try (Stream<Path> files = Files.walk(Repo.file(m + "/src/main/java"))) {
                    sources = files.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> read(f).contains("@ConfigurationProperties(")).toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new ServiceYaml(m, text, flat, sources);
            });
        }

        private static void flatten(String prefix, Object value, Map<String, String> into) {
            if (value instanceof Map<?, ?> m) {
                m.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, into));
            } else {
                into.put(prefix, value == null ? "" : value.toString());
            }
        }

        int serverPort() {
            Matcher m = PLACEHOLDER.matcher(flat.getOrDefault("server.port", ""));
            assertThat(m.matches()).as("%s: server.port is ${SERVER_PORT:<default>}", module).isTrue();
            return Integer.parseInt(m.group(2));
        }

        /** Ports of the services this one calls: the defaults of its *-url properties. */
        Set<Integer> calledPorts() {
            Set<Integer> ports = new TreeSet<>();
            flat.forEach((key, value) -> {
                Matcher m = PLACEHOLDER.matcher(value);
                if (key.endsWith("-url") && m.matches() && m.group(2) != null) {
                    Matcher port = Pattern.compile("^https?://[^/:]+:(\\d+)").matcher(m.group(2));
                    if (port.find()) {
                        ports.add(Integer.parseInt(port.group(1)));
                    }
                }
            });
            return ports;
        }

        /** Placeholders whose default is wrong in a pod: loopback addresses, and empty secrets. */
        Set<String> mustBeSet() {
            Set<String> names = new TreeSet<>();
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                String fallback = m.group(2) == null ? "" : m.group(2);
                boolean loopback = fallback.matches("((https?|jdbc:[a-z]+)://)?(127\\.0\\.0\\.1|localhost)([:/].*)?");
                boolean secret = fallback.isEmpty() && m.group(1).matches(".*_(KEY|TOKEN|PASSWORD)");
                if (loopback || secret) {
                    names.add(m.group(1));
                }
            }
            return names;
        }

        boolean reads(String variable) {
            if (READ_BY_THE_JVM.contains(variable)) {
                return true;
            }
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(variable)) {
                    return true;
                }
            }
            if (flat.keySet().stream().anyMatch(key -> relaxed(key).equals(variable))) {
                return true;
            }
            // a property bound by a @ConfigurationProperties class of this service but not in application.yml:
            // <PREFIX>_<FIELD>[_...], FIELD one of the class's identifiers (a record component, a map's name)
            for (Path source : propertySources) {
                String java = read(source);
                Matcher prefix = PROPERTIES_PREFIX.matcher(java);
                while (prefix.find()) {
                    String envPrefix = relaxed(prefix.group(1)) + "_";
                    if (variable.startsWith(envPrefix)) {
                        String field = variable.substring(envPrefix.length()).split("_")[0];
                        Matcher identifier = IDENTIFIER.matcher(java);
                        while (identifier.find()) {
                            if (!field.isEmpty() && identifier.group().toUpperCase().equals(field)) {
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        }

        /** Spring's environment-variable form of a property name: dots to underscores, dashes dropped. */
        private static String relaxed(String property) {
            return property.replace('.', '_').replace("-", "").toUpperCase();
        }
    }
}
