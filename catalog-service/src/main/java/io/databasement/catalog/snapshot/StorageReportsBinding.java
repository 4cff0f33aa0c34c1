package io.databasement.catalog.snapshot;

import io.databasement.catalog.messaging.DeadLetters;
import io.databasement.catalog.messaging.Inbound;
import io.databasement.contracts.Topics;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** Binding {@code storageReports-in-0} (destination and group in application.yml). */
@Configuration(proxyBeanMethods = false)
class StorageReportsBinding {

    @Bean
    Consumer<Message<byte[]>> storageReports(StorageReportProjection projection, DeadLetters deadLetters) {
        return Inbound.consumer(Topics.STORAGE_REPORTS, projection::apply, deadLetters);
    }
}
