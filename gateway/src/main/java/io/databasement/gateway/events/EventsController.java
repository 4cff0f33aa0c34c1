package io.databasement.gateway.events;

import java.time.Duration;
import java.util.UUID;

import io.databasement.gateway.problem.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/v1/events}: the live status stream, served by the gateway itself (a local controller wins over
 * the gateway's routes). It never ends on its own; a {@code :keepalive} comment goes out at once, so the client
 * sees the response start, and then every {@code dbm.gateway.events.keep-alive} (15 s), so proxies keep it open.
 * Streams end when the gateway shuts down.
 */
@RestController
class EventsController {

    private final EventHub hub;
    private final Duration keepAlive;

    EventsController(EventHub hub, EventsProperties properties) {
        this.hub = hub;
        this.keepAlive = properties.keepAlive();
    }

    /**
     * @param snapshotId only events about this snapshot (its status and backup progress)
     * @param restoreId  only events about this restore (its status and progress); with both, events about either
     */
    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> events(@RequestParam(required = false) String snapshotId,
                                         @RequestParam(required = false) String restoreId) {
        String snapshot = id("snapshotId", snapshotId);
        String restore = id("restoreId", restoreId);
        boolean all = snapshot == null && restore == null;
        Flux<ServerSentEvent<String>> events = hub.events()
                .filter(e -> all || (snapshot != null && snapshot.equals(e.snapshotId()))
                        || (restore != null && restore.equals(e.restoreId())))
                .map(LiveEvent::toSse);
        return Flux.merge(events, keepAlives()).takeUntilOther(hub.closed());
    }

    /** At once, then every {@code keepAlive}; a tick the client is too slow for is dropped, not queued. */
    private Flux<ServerSentEvent<String>> keepAlives() {
        return Flux.interval(Duration.ZERO, keepAlive).onBackpressureDrop()
                .map(tick -> ServerSentEvent.<String>builder().comment("keepalive").build());
    }

    /** The id in its canonical form, so it compares with the events' ids; null when not given. */
    private static String id(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    name + " must be an id (UUID), was '" + value + "'");
        }
    }
}
