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
 * Stands in for storage-service's {@code GET /internal/volumes/{id}} in the MVC tests (a collaborator,
 * not infrastructure): answers the volumes put here, 404 otherwise, 401 without the service token.
 */
public final class StubStorage {

    private final HttpServer server;
    private final Map<String, VolumeState> volumes = new ConcurrentHashMap<>();

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
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(VolumeState volume) {
        volumes.put(volume.volumeId().toString(), volume);
    }
}
