package io.databasement.worker.http;

import io.databasement.worker.trace.JobContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JDK HTTP client set up for the internal APIs: bearer token, the caller's trace context ({@code traceparent}),
 * JSON, problem details read back as text.
 */
public final class InternalHttp {

    private final HttpClient client;
    private final URI baseUrl;
    private final String serviceToken;
    private final JsonMapper json;

    public InternalHttp(URI baseUrl, String serviceToken, JsonMapper json) {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        this.baseUrl = baseUrl;
        this.serviceToken = serviceToken;
        this.json = json;
    }

    public HttpRequest.Builder request(String path, Duration timeout) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        return JobContext.inject(HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + serviceToken));
    }

    public HttpRequest.BodyPublisher jsonBody(Object body) {
        return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
    }

    public HttpResponse<byte[]> send(HttpRequest request) throws java.io.IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The body as a stream, for downloads of any size; the caller closes it. */
    public HttpResponse<java.io.InputStream> stream(HttpRequest request) throws java.io.IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    public JsonNode readTree(byte[] body) {
        return json.readTree(body);
    }

    /** What went wrong, from a problem details body ({@code detail}, else {@code title}) or the raw text. */
    public String describe(HttpResponse<byte[]> response) {
        return describe(response.body());
    }

    /** {@link #describe(HttpResponse)} of a body read by hand (an error answer to a streamed request). */
    public String describe(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        try {
            JsonNode node = json.readTree(text);
            if (node.hasNonNull("detail")) {
                return node.get("detail").asString();
            }
            if (node.hasNonNull("title")) {
                return node.get("title").asString();
            }
        } catch (RuntimeException notJson) {
            // fall through to the raw text
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
