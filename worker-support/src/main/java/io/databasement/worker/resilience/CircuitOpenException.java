package io.databasement.worker.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;

/** The circuit breaker of a service is open (it failed too often of late), so the call was not even tried. */
public final class CircuitOpenException extends IOException {

    CircuitOpenException(String service, CallNotPermittedException cause) {
        super("calls to " + service + " are suspended after repeated failures (circuit breaker '"
                + cause.getCausingCircuitBreakerName() + "' is open)", cause);
    }
}
