package io.databasement.catalog;

import io.databasement.contracts.SecretSealer;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@EnableScheduling
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

    @Bean
    SecretSealer secretSealer(CatalogProperties properties) {
        return new SecretSealer(properties.sealKey());
    }

    /** storage-service's internal API, with the service token: volumes read through, objects for downloads. */
    @Bean
    RestClient storageService(RestClient.Builder builder, CatalogProperties properties) {
        return builder.baseUrl(properties.storageUrl().toString())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.serviceToken())
                .build();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
