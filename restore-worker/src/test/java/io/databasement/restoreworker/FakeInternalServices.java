package io.databasement.restoreworker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the catalog's claim endpoint and storage-service's object download, honouring
 * docs/conventions.md (bearer token, status codes, problem details). The real services are tested end to end elsewhere.
 */
public final class FakeInternalServices implements AutoCloseable {

    private static final Pattern CLAIM = Pattern.compile("/internal/jobs/([^/]+)/attempts/([^/]+)");
    private static final Pattern OBJECT = Pattern.compile("/internal/objects/([^/]+)/(.+)");

    private final HttpServer server;
    private final String token;
    private final JsonMapper json = JsonMapper.builder().build();

    /** Every claim, as "jobId/attemptId". */
    public final List<String> claims = new CopyOnWriteArrayList<>();
    /** The current attempt of each job: a claim by another attempt is refused (409), by the same one granted again. */
    public final Map<String, String> currentAttempt = new ConcurrentHashMap<>();
    /** Stored objects by "volumeId/key". */
    public final Map<String, byte[]> objects = new ConcurrentHashMap<>();

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
            // the raw path, decoded here the way Spring decodes {*key}
            String path = URI.create(exchange.getRequestURI().getRawPath()).getPath();
            String method = exchange.getRequestMethod();
            exchange.getRequestBody().readAllBytes();
            Matcher m;
            if (method.equals("POST") && (m = CLAIM.matcher(path)).matches()) {
                claims.add(m.group(1) + "/" + m.group(2));
                String current = currentAttempt.putIfAbsent(m.group(1), m.group(2));
                if (current != null && !current.equals(m.group(2))) {
                    problem(exchange, 409, "attempt-refused", "job " + m.group(1) + " already has attempt " + current);
                    return;
                }
                send(exchange, 200, Map.of("jobId", m.group(1), "attemptId", m.group(2), "status", "IN_PROGRESS"));
            } else if (method.equals("GET") && (m = OBJECT.matcher(path)).matches()) {
                byte[] object = objects.get(m.group(1) + "/" + m.group(2));
                if (object == null) {
                    problem(exchange, 404, "object-not-found", "no object " + m.group(2));
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, object.length);
                exchange.getResponseBody().write(object);
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
}
