package io.databasement.backupworker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the catalog's claim endpoint and storage-service's upload API, honouring
 * docs/conventions.md (bearer token, status codes, bodies). The real services are tested end to end elsewhere.
 */
public final class FakeInternalServices implements AutoCloseable {

    private static final Pattern CLAIM = Pattern.compile("/internal/jobs/([^/]+)/attempts/([^/]+)");
    private static final Pattern PART = Pattern.compile("/internal/uploads/([^/]+)/parts/(\\d+)");
    private static final Pattern COMPLETE = Pattern.compile("/internal/uploads/([^/]+)/complete");
    private static final Pattern UPLOAD = Pattern.compile("/internal/uploads/([^/]+)");

    private final HttpServer server;
    private final String token;
    private final JsonMapper json = JsonMapper.builder().build();

    public final List<String> claims = new CopyOnWriteArrayList<>();
    /** Claims answered 503 before the catalog "recovers". */
    public final java.util.concurrent.atomic.AtomicInteger claimOutages = new java.util.concurrent.atomic.AtomicInteger();
    /** Part uploads answered 503 before storage "is back" (a restart mid-snapshot). */
    public final java.util.concurrent.atomic.AtomicInteger partOutages = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<String> claimedJobs = ConcurrentHashMap.newKeySet();
    public final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
    public final Map<String, String> keys = new ConcurrentHashMap<>();
    public final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    public final List<String> aborted = new CopyOnWriteArrayList<>();

    public FakeInternalServices(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                problem(exchange, 401, "unauthorized", "a valid service token is required");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Matcher m;
            if (method.equals("POST") && (m = CLAIM.matcher(path)).matches()) {
                claims.add(m.group(1));
                if (claimOutages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    problem(exchange, 503, "unavailable", "the catalog is starting");
                    return;
                }
                if (!claimedJobs.add(m.group(1))) {
                    problem(exchange, 409, "attempt-refused", "job " + m.group(1) + " already has an attempt");
                    return;
                }
                send(exchange, 200, Map.of("jobId", m.group(1), "attemptId", m.group(2), "status", "RUNNING"));
            } else if (method.equals("POST") && path.equals("/internal/uploads")) {
                JsonNode node = json.readTree(body);
                String id = UUID.randomUUID().toString();
                uploads.put(id, new TreeMap<>());
                keys.put(id, node.get("key").asString());
                send(exchange, 201, Map.of("uploadId", id, "volumeId", node.get("volumeId").asString(), "key", node.get("key").asString()));
            } else if (method.equals("PUT") && (m = PART.matcher(path)).matches()) {
                if (partOutages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    problem(exchange, 503, "unavailable", "storage-service is restarting");
                    return;
                }
                String digest = exchange.getRequestHeaders().getFirst("X-Content-SHA256");
                if (!InMemorySink.sha256(body).equals(digest)) {
                    problem(exchange, 400, "digest-mismatch", "part digest mismatch");
                    return;
                }
                int n = Integer.parseInt(m.group(2));
                uploads.get(m.group(1)).put(n, body);
                send(exchange, 200, Map.of("partNumber", n, "etag", "e" + n, "sizeBytes", body.length));
            } else if (method.equals("POST") && (m = COMPLETE.matcher(path)).matches()) {
                JsonNode node = json.readTree(body);
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (JsonNode part : node.get("parts")) {
                    all.writeBytes(uploads.get(m.group(1)).get(part.get("partNumber").asInt()));
                }
                byte[] object = all.toByteArray();
                if (!InMemorySink.sha256(object).equals(node.get("sha256").asString())) {
                    problem(exchange, 400, "digest-mismatch", "object digest mismatch");
                    return;
                }
                String key = keys.get(m.group(1));
                objects.put(key, object);
                send(exchange, 200, Map.of("volumeId", UUID.randomUUID().toString(), "key", key, "sizeBytes", object.length,
                        "sha256", node.get("sha256").asString(), "location", "mem://" + key));
            } else if (method.equals("DELETE") && (m = UPLOAD.matcher(path)).matches()) {
                aborted.add(m.group(1));
                uploads.remove(m.group(1));
                exchange.sendResponseHeaders(204, -1);
            } else {
                problem(exchange, 404, "not-found", method + " " + path);
            }
        }
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void problem(HttpExchange exchange, int status, String slug, String detail) throws IOException {
        byte[] bytes = json.writeValueAsBytes(Map.of("type", "https://databasement.io/problems/" + slug, "title", slug,
                "status", status, "detail", detail));
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
