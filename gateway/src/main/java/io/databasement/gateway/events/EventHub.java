package io.databasement.gateway.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Fans live events out to every open stream. Best effort by design: a client that cannot keep up misses
 * events, and the Kafka consumer never waits for anyone.
 */
@Component
class EventHub {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();

    /** Called from the consumer thread; never blocks. */
    synchronized void publish(LiveEvent event) {
        Sinks.EmitResult result = sink.tryEmitNext(event);
        if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
            log.trace("live event {} not delivered: {}", event.id(), result);
        }
    }

    Flux<LiveEvent> events() {
        return sink.asFlux();
    }
}
