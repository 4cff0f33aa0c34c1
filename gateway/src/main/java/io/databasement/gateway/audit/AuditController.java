package io.databasement.gateway.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.databasement.gateway.problem.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/audit} (admin: the security filter checks the role), newest first. */
@RestController
class AuditController {

    private static final int MAX_LIMIT = 1000;

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/audit")
    Mono<List<AuditEntry>> find(@RequestParam(required = false) String actor,
                                @RequestParam(required = false) String channel,
                                @RequestParam(required = false) String outcome,
                                @RequestParam(required = false) String correlationId,
                                @RequestParam(required = false) String target,
                                @RequestParam(required = false) String since,
                                @RequestParam(required = false) String until,
                                @RequestParam(required = false, defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return audit.find(new AuditLog.AuditQuery(actor, channel, outcome, correlationId, target,
                instant("since", since), instant("until", until), null, limit));
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 instant such as 2026-11-25T20:00:00Z.");
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }
}
