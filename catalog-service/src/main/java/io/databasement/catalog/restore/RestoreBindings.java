package io.databasement.catalog.restore;

import io.databasement.catalog.messaging.DeadLetters;
import io.databasement.catalog.messaging.Inbound;
import io.databasement.contracts.Topics;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** Bindings {@code restoreReports-in-0} and {@code restoreRequests-in-0} (destinations and group in application.yml). */
@Configuration(proxyBeanMethods = false)
class RestoreBindings {

    @Bean
    Consumer<Message<byte[]>> restoreReports(RestoreReportProjection projection, DeadLetters deadLetters) {
        return Inbound.consumer(Topics.RESTORE_REPORTS, projection::apply, deadLetters);
    }

    @Bean
    Consumer<Message<byte[]>> restoreRequests(RestoreRequestsConsumer requests, DeadLetters deadLetters) {
        return Inbound.consumer(Topics.RESTORE_REQUESTS, requests::apply, deadLetters);
    }
}
