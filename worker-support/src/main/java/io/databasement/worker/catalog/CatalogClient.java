package io.databasement.worker.catalog;

import io.databasement.worker.http.InternalHttp;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /internal/jobs/{jobId}/attempts/{attemptId}} with retries while the catalog does not answer. */
public final class CatalogClient implements AttemptClaims {

    private static final Logger log = LoggerFactory.getLogger(CatalogClient.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final InternalHttp http;
    private final Duration retryFor;

    public CatalogClient(InternalHttp http, Duration retryFor) {
        this.http = http;
        this.retryFor = retryFor;
    }

    @Override
    public Claim claim(UUID jobId, UUID attemptId) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            String problem;
            try {
                HttpResponse<byte[]> response = http.send(http.request("/internal/jobs/" + jobId + "/attempts/" + attemptId, CALL_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
                int status = response.statusCode();
                if (status == 200 || status == 201) {
                    return Claim.GRANTED;
                }
                if (status == 409 || status == 404) {
                    log.info("job {}: the catalog refused attempt {} (HTTP {}: {}); dropping the command", jobId, attemptId,
                            status, http.describe(response));
                    return Claim.REFUSED;
                }
                // 401/5xx: a misconfigured token or a sick catalog; neither is a reason to lose the command
                problem = "HTTP " + status + ": " + http.describe(response);
            } catch (IOException e) {
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Claim.UNREACHABLE;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.warn("job {}: the catalog did not grant attempt {} within {} ({}); the command goes back to Kafka",
                        jobId, attemptId, retryFor, problem);
                return Claim.UNREACHABLE;
            }
            log.info("job {}: claiming attempt {} failed ({}); retrying in {}", jobId, attemptId, problem, backoff);
            try {
                Thread.sleep(Math.min(backoff.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Claim.UNREACHABLE;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }
}
