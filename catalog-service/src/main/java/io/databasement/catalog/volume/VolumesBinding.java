package io.databasement.catalog.volume;

import io.databasement.catalog.messaging.DeadLetters;
import io.databasement.catalog.messaging.Inbound;
import io.databasement.contracts.Topics;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** Binding {@code volumes-in-0} (destination and group in application.yml). */
@Configuration(proxyBeanMethods = false)
class VolumesBinding {

    @Bean
    Consumer<Message<byte[]>> volumes(VolumeProjection projection, DeadLetters deadLetters) {
        return Inbound.consumer(Topics.VOLUMES, projection::apply, deadLetters);
    }
}
