package io.databasement.gateway.console;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The web console is static files in {@code classpath:/static/console/}, which Boot's resource handling serves
 * at {@code /console/**}. This answers the gateway's root address (and {@code /console}, {@code /console/})
 * with the console's {@code index.html}, so an operator only has to open {@code http://host:8080/}; the page
 * refers to its scripts and styles by absolute {@code /console/...} paths, so it works at either address.
 * No authentication here: the token is entered on the console's login screen and sent only to {@code /api/**}.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRoutes {

    private static final Resource INDEX = new ClassPathResource("static/console/index.html");

    @Bean
    RouterFunction<ServerResponse> consoleIndex() {
        return RouterFunctions.route(GET("/").or(GET("/console")).or(GET("/console/")),
                request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(INDEX));
    }
}
