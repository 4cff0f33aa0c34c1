package io.databasement.catalog.messaging;

import io.databasement.catalog.snapshot.BackupReportProjection;
import io.databasement.catalog.volume.VolumeProjection;
import io.databasement.contracts.Topics;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Spring Cloud Stream bindings ({@code backupReports-in-0}, {@code volumes-in-0}; destinations and group in
 * application.yml). A poison message is dead-lettered with its reason and the consumer moves on; any other
 * failure propagates, so the binder retries it (and dead-letters it when the retries are spent).
 */
@Configuration(proxyBeanMethods = false)
class Consumers {

    @Bean
    Consumer<Message<byte[]>> backupReports(BackupReportProjection projection, DeadLetters deadLetters) {
        return message -> handle(InboundMessage.of(Topics.BACKUP_REPORTS, message), projection::apply, deadLetters);
    }

    @Bean
    Consumer<Message<byte[]>> volumes(VolumeProjection projection, DeadLetters deadLetters) {
        return message -> handle(InboundMessage.of(Topics.VOLUMES, message), projection::apply, deadLetters);
    }

    private static void handle(InboundMessage message, Consumer<InboundMessage> apply, DeadLetters deadLetters) {
        try {
            apply.accept(message);
        } catch (PoisonMessageException e) {
            deadLetters.send(message, e.getMessage());
        }
    }
}
