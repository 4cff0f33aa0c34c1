package io.databasement.gateway.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Fans live events out to every open stream. Best effort by design: a client that cannot keep up misses
 * events, and the Kafka consumer never waits for anyone.
 * <p>
 * On shutdown it closes first (the highest lifecycle phase stops first), so the open streams end before the
 * web server's graceful shutdown, which would otherwise wait its whole timeout for streams that never end.
 */
@Component
class EventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private volatile boolean running;

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

    /** Completes when the gateway shuts down; streams end with it. */
    Mono<Void> closed() {
        return closed.asMono();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        closed.tryEmitEmpty();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
