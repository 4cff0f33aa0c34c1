package io.databasement.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class DownstreamLocationRewriterTest {

    private final DownstreamLocationRewriter rewriter = new DownstreamLocationRewriter(URI.create("http://127.0.0.1:80"));

    @Test
    void locationOnTheServiceIsMovedOntoTheAddressTheClientUsed() {
        assertThat(locationSeenByClient("http://127.0.0.1/api/v1/snapshots/1?x=y"))
                .isEqualTo("https://dbm.example.com:8443/api/v1/snapshots/1?x=y");
    }

    @Test
    void locationOnAnotherPortOfTheSameHostIsNotTheService() {
        assertThat(locationSeenByClient("http://127.0.0.1:8081/api/v1/snapshots/1"))
                .isEqualTo("http://127.0.0.1:8081/api/v1/snapshots/1");
        assertThat(locationSeenByClient("http://127.0.0.1:80/x")).isEqualTo("https://dbm.example.com:8443/x");
    }

    @Test
    void relativeAndForeignLocationsAreKept() {
        assertThat(locationSeenByClient("/api/v1/servers/2")).isEqualTo("/api/v1/servers/2");
        assertThat(locationSeenByClient("https://s3.example.com/bucket/key?sig=1")).isEqualTo("https://s3.example.com/bucket/key?sig=1");
    }

    private String locationSeenByClient(String downstreamLocation) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.post("https://dbm.example.com:8443/api/v1/snapshots").build());
        rewriter.filter(exchange, ex -> {
            ex.getResponse().getHeaders().set(HttpHeaders.LOCATION, downstreamLocation);
            return Mono.empty();
        }).block();
        exchange.getResponse().setComplete().block();
        return exchange.getResponse().getHeaders().getFirst(HttpHeaders.LOCATION);
    }
}
