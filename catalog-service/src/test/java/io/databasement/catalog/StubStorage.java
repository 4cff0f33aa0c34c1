package io.databasement.catalog;

import com.sun.net.httpserver.HttpServer;
import io.databasement.contracts.VolumeState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for storage-service in the MVC tests (a collaborator, not infrastructure): {@code GET
 * /internal/volumes/{id}} answers the volumes put here, 404 otherwise, 401 without the service token;
 * {@code GET /internal/objects/{volumeId}/{key}} serves the objects put here (one {@code Range: bytes=a-b});
 * {@code POST /internal/objects/presign} answers a fake URL naming the key ({@code 422 presign-not-supported} for a
 * volume marked encrypted); objects marked undecryptable answer {@code 422 decryption-failed}. The real storage-service is
 * exercised by its own tests and the system tests.
 */
public final class StubStorage {

    private final HttpServer server;
    private final Map<String, VolumeState> volumes = new ConcurrentHashMap<>();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final java.util.Set<String> encrypted = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> undecryptable = ConcurrentHashMap.newKeySet();

    public StubStorage(String token) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/volumes/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/internal/volumes/".length());
            VolumeState v = volumes.get(id);
            int status;
            byte[] body;
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = "{}".getBytes(StandardCharsets.UTF_8);
            } else if (v == null) {
                status = 404;
                body = "{}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                body = ("{\"volumeId\":\"" + v.volumeId() + "\",\"name\":\"" + v.name() + "\",\"type\":\"" + v.type()
                        + "\",\"location\":\"" + v.location() + "\",\"updatedAt\":\"" + v.updatedAt() + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/internal/objects/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring("/internal/objects/".length());
            byte[] body;
            int status;
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = "{}".getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("presign")) {
                String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (encrypted.stream().anyMatch(request::contains)) {
                    status = 422;
                    body = problem("presign-not-supported", "the volume is encrypted");
                } else {
                status = 200;
                body = ("{\"url\": \"https://s3.example.test/presigned?request=" + java.net.URLEncoder.encode(request, StandardCharsets.UTF_8)
                        + "\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            } else if (undecryptable.contains(path)) {
                status = 422;
                body = problem("decryption-failed", "object " + path + " was encrypted with key 'k1'; the configured key 'k1' "
                        + "does not decrypt it (wrong key or damaged object)");
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            } else if (!objects.containsKey(path)) {
                status = 404;
                body = "{}".getBytes(StandardCharsets.UTF_8);
            } else {
                byte[] object = objects.get(path);
                String range = exchange.getRequestHeaders().getFirst("Range");
                exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
                if (range != null) {
                    String[] ends = range.substring("bytes=".length()).split("-");
                    int first = Integer.parseInt(ends[0]);
                    int last = Integer.parseInt(ends[1]);
                    if (first >= object.length) {
                        body = "{}".getBytes(StandardCharsets.UTF_8);
                        status = 416;
                        exchange.getResponseHeaders().add("Content-Range", "bytes */" + object.length);
                    } else {
                        body = java.util.Arrays.copyOfRange(object, first, last + 1);
                        status = 206;
                        exchange.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + object.length);
                    }
                } else {
                    body = object;
                    status = 200;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public void putObject(java.util.UUID volumeId, String key, byte[] bytes) {
        objects.put(volumeId + "/" + key, bytes);
    }

    /** Presigning on this volume answers {@code 422 presign-not-supported}, as for an encrypted volume. */
    public void encrypt(java.util.UUID volumeId) {
        encrypted.add(volumeId.toString());
    }

    /** Reading this object answers {@code 422 decryption-failed}, as storage does under a wrong key. */
    public void putUndecryptable(java.util.UUID volumeId, String key) {
        undecryptable.add(volumeId + "/" + key);
    }

    private static byte[] problem(String slug, String detail) {
        return ("{\"type\": \"https://databasement.io/problems/" + slug + "\", \"status\": 422, \"detail\": \"" + detail + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(VolumeState volume) {
        volumes.put(volume.volumeId().toString(), volume);
    }
}
