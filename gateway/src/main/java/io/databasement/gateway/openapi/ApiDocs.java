package io.databasement.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.databasement.gateway.openapi.ApiDocsMerger.Part;
import io.databasement.gateway.routing.DownstreamProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one public API document: the gateway's own endpoints ({@code openapi/gateway-api.yaml}) merged with what
 * catalog-service and storage-service describe at their {@code /v3/api-docs}. A complete document is kept for
 * {@code dbm.gateway.openapi.cache-ttl}; a service that cannot be asked leaves its part out (the description says
 * which) and the incomplete document is not kept, so the part is back as soon as the service is.
 */
@Component
class ApiDocs {

    private static final Logger log = LoggerFactory.getLogger(ApiDocs.class);
    private static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

    private record Cached(ObjectNode doc, Instant expiresAt) {
    }

    private final ObjectNode gateway;
    private final DownstreamProperties downstream;
    private final OpenApiProperties properties;
    private final JsonMapper json;
    private final WebClient http;
    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<Cached> cache = new AtomicReference<>();

    ApiDocs(DownstreamProperties downstream, OpenApiProperties properties, JsonMapper json) {
        this.downstream = downstream;
        this.properties = properties;
        this.json = json;
        this.gateway = load(json, "openapi/gateway-api.yaml");
        this.http = WebClient.builder()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_DOCUMENT_BYTES))
                .build();
    }

    /** The merged document; never an error (a missing service is said in {@code info.description}). */
    Mono<ObjectNode> merged() {
        Cached cached = cache.get();
        if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
            return Mono.just(cached.doc());
        }
        return Mono.zip(fetch("catalog-service", "catalog", downstream.catalogUrl()),
                        fetch("storage-service", "storage", downstream.storageUrl()))
                .map(parts -> {
                    List<Part> all = List.of(parts.getT1(), parts.getT2());
                    ObjectNode doc = ApiDocsMerger.merge(gateway, all);
                    if (all.stream().allMatch(p -> p.doc() != null)) {
                        cache.set(new Cached(doc, clock.instant().plus(properties.cacheTtl())));
                    }
                    return doc;
                });
    }

    private Mono<Part> fetch(String service, String prefix, URI base) {
        return http.get().uri(base.resolve("/v3/api-docs")).accept(MediaType.APPLICATION_JSON)
                .retrieve().bodyToMono(byte[].class)
                .timeout(properties.fetchTimeout())
                .map(body -> {
                    if (!(json.readTree(body) instanceof ObjectNode doc) || !doc.path("paths").isObject()) {
                        throw new IllegalStateException("the answer is not an OpenAPI document");
                    }
                    return Part.of(service, prefix, doc);
                })
                .onErrorResume(e -> {
                    String reason = reason(e);
                    log.warn("API description of {} left out of /v3/api-docs: {} ({})", service, reason, e.toString());
                    return Mono.just(Part.missing(service, prefix, reason));
                });
    }

    /** Short and free of internals: it ends up in the public document. */
    private static String reason(Throwable e) {
        if (e instanceof WebClientResponseException answered) {
            return "it answered " + answered.getStatusCode().value();
        }
        if (e instanceof TimeoutException) {
            return "it did not answer in time";
        }
        if (e instanceof IllegalStateException || e instanceof JacksonException) {
            return "its answer was not an OpenAPI document";
        }
        return "it cannot be reached";
    }

    /** A YAML resource as a JSON tree (YAML is what a person edits; JSON is what the merge works on). */
    static ObjectNode load(JsonMapper json, String resource) {
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return json.valueToTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
