package io.databasement.gateway.openapi;

import java.net.URI;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API descriptions, public (no token): {@code /v3/api-docs} (OpenAPI, also what Swagger UI at
 * {@code /swagger-ui.html} shows) and {@code /asyncapi.yaml} (the Kafka messages, from the contracts jar).
 * springdoc's own document of the gateway is moved out of the way ({@code springdoc.api-docs.path}).
 */
@RestController
class OpenApiController {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final ApiDocs docs;
    private final Resource asyncApi = new ClassPathResource("asyncapi.yaml");

    OpenApiController(ApiDocs docs) {
        this.docs = docs;
    }

    @GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ObjectNode> apiDocs(ServerHttpRequest request) {
        return docs.merged().map(merged -> {
            ObjectNode doc = merged.deepCopy();
            // the address the client used, so "Try it out" goes through this gateway
            doc.putArray("servers").addObject().put("url", origin(request.getURI())).put("description", "this gateway");
            return doc;
        });
    }

    @GetMapping("/asyncapi.yaml")
    ResponseEntity<Resource> asyncApi() {
        return ResponseEntity.ok().contentType(YAML).body(asyncApi);
    }

    private static String origin(URI uri) {
        return UriComponentsBuilder.newInstance().scheme(uri.getScheme()).host(uri.getHost()).port(uri.getPort())
                .toUriString();
    }
}
