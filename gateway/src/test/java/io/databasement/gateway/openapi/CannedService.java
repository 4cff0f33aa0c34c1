package io.databasement.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server standing in for catalog-service or storage-service: {@code /v3/api-docs} answers a canned
 * document (one the real service generated, from the test resources) or, when told so, a 503.
 */
final class CannedService implements AutoCloseable {

    private final HttpServer server;
    private final byte[] document;
    private final AtomicInteger asked = new AtomicInteger();
    private volatile boolean down;

    CannedService(String resource) throws IOException {
        try (InputStream in = CannedService.class.getResourceAsStream(resource)) {
            document = in.readAllBytes();
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v3/api-docs", this::answer);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void down(boolean down) {
        this.down = down;
    }

    /** How many times the gateway asked for the document. */
    int asked() {
        return asked.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        asked.incrementAndGet();
        byte[] body = down ? "{\"status\":503}".getBytes() : document;
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(down ? 503 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
