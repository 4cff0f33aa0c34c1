package io.databasement.catalog;

import io.databasement.contracts.SecretSealer;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@EnableScheduling
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

    @Bean
    SecretSealer secretSealer(CatalogProperties properties) {
        return new SecretSealer(properties.sealKey());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
