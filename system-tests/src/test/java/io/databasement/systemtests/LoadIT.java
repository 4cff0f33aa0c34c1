package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7's load case: many snapshot requests at once over several small databases, with two backup workers.
 * Every request must give exactly one snapshot, every snapshot must complete once (one file per snapshot in the
 * volume, one attempt each), and the API must stay responsive: the latency of {@code GET /snapshots}, sampled
 * during the load, is printed with its p50/p99. CI runs a short form; {@code -Ddbm.load.requests=200
 * -Ddbm.load.databases=20} is the full form.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadIT {

    private static final int REQUESTS = Integer.getInteger("dbm.load.requests", 40);
    private static final int DATABASES = Integer.getInteger("dbm.load.databases", 8);
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);

    private final List<String> databases = new ArrayList<>();

    @AfterAll
    void drop() {
        databases.forEach(Stack::dropPostgresDatabase);
    }

    @Test
    void manySnapshotsAtOnceEachCompleteExactlyOnceWhileTheApiStaysResponsive() throws Exception {
        Stack.Running stack = Stack.get();
        Api admin = stack.api();
        for (int i = 0; i < DATABASES; i++) {
            String name = "dbm_it_load_" + SUFFIX + "_" + i;
            Stack.createPostgresDatabase(name);
            databases.add(name);
            try (Connection c = Stack.postgres(name); Statement s = c.createStatement()) {
                s.execute("create table t (id int primary key, v text)");
                s.execute("insert into t select g, md5(g::text) from generate_series(1, 500) g");
            }
        }
        Flows flows = new Flows(admin);
        String server = flows.postgresServer("pg-load-" + SUFFIX);
        Path folder = Files.createTempDirectory("dbm-sys-load-");
        String volume = flows.localVolume("load-vol-" + SUFFIX, folder);
        // a token per 100 requests keeps every client under the gateway's 300 a minute
        List<Api> clients = new ArrayList<>();
        for (int i = 0; i < Math.max(1, (REQUESTS + 99) / 100); i++) {
            clients.add(admin.as(token("load-ops-" + SUFFIX + "-" + i, "operator", admin)));
        }
        Api watcher = admin.as(token("load-watch-" + SUFFIX, "viewer", admin));

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (ServiceProcess second = ServiceProcess.start("backup-worker", "backup-worker-2", port,
                new HashMap<>(stack.env()), stack.logDir())) {
            second.awaitHealthy(Duration.ofSeconds(300));

            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (loading.get()) {
                    long start = System.nanoTime();
                    int status = watcher.get("/api/v1/snapshots?serverId=" + server + "&size=20").status();
                    if (status == 200) {
                        latencies.add(System.nanoTime() - start);
                    }
                    sleep(250);
                }
            }, "load-sampler");
            sampler.start();

            long started = System.nanoTime();
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(REQUESTS, 50));
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                Api client = clients.get(i % clients.size());
                String database = databases.get(i % databases.size());
                sent.add(pool.submit(() -> {
                    Api.Response accepted = client.post("/api/v1/snapshots",
                            Map.of("serverId", server, "database", database, "volumeId", volume));
                    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
                    ids.add(accepted.json().path("id").asText());
                }));
            }
            for (Future<?> f : sent) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            long acceptedMillis = (System.nanoTime() - started) / 1_000_000;

            Map<String, JsonNode> finished = new HashMap<>();
            await().atMost(Duration.ofSeconds(60 + REQUESTS * 3L)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode page = watcher.get("/api/v1/snapshots?serverId=" + server + "&size=200").json();
                for (JsonNode s : page.path("items")) {
                    String status = s.path("status").asText();
                    if (status.equals("COMPLETED") || status.equals("FAILED")) {
                        finished.put(s.path("id").asText(), s);
                    }
                }
                return finished.size() >= REQUESTS;
            });
            long doneMillis = (System.nanoTime() - started) / 1_000_000;
            loading.set(false);
            sampler.join();

            assertThat(new HashSet<>(ids)).hasSize(REQUESTS).isEqualTo(finished.keySet());
            assertThat(finished.values()).allSatisfy(s -> {
                assertThat(s.path("status").asText()).as(s.toString()).isEqualTo("COMPLETED");
                assertThat(s.path("attempt").asInt()).as("attempt of " + s.path("id").asText()).isEqualTo(1);
            });
            Set<String> files;
            try (Stream<Path> walk = Files.walk(folder)) {
                // the local volume keeps each object's digest under .meta/: count the objects
                files = new HashSet<>(walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString())
                        .filter(name -> !name.startsWith(".meta/")).toList());
            }
            assertThat(files).as("one file per snapshot, none twice").hasSize(REQUESTS);
            Set<String> workers = new HashSet<>();
            for (String log : List.of("backup-worker.log", "backup-worker-2.log")) {
                String text = Files.readString(stack.logDir().resolve(log));
                if (ids.stream().anyMatch(text::contains)) {
                    workers.add(log);
                }
            }

            List<Long> sorted = latencies.stream().sorted().toList();
            assertThat(sorted).as("GET /snapshots samples during the load").hasSizeGreaterThan(5);
            long p50 = sorted.get(sorted.size() / 2) / 1_000_000;
            long p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1_000_000;
            System.out.printf("%nload: %d snapshot requests over %d databases, 2 backup workers%n", REQUESTS, DATABASES);
            System.out.printf("  all accepted in %d ms, all COMPLETED in %d ms (%.1f snapshots/s), %d files, workers used: %s%n",
                    acceptedMillis, doneMillis, REQUESTS * 1000.0 / doneMillis, files.size(), workers);
            System.out.printf("  GET /snapshots during the load: %d samples, p50 %d ms, p99 %d ms, max %d ms%n%n",
                    sorted.size(), p50, p99, sorted.get(sorted.size() - 1) / 1_000_000);
            assertThat(p99).as("p99 of GET /snapshots during the load, ms").isLessThan(2_000);
        }
    }

    private static String token(String name, String role, Api admin) {
        Api.Response created = admin.post("/api/v1/tokens", Map.of("name", name, "role", role));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("token").asText();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
