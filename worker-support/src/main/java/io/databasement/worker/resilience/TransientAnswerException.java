package io.databasement.worker.resilience;

import java.io.IOException;

/**
 * The service answered, but with a status that says "later" (429, 502, 503, 504): retried like an I/O error, and
 * what the caller gets once the attempts are used up.
 */
public final class TransientAnswerException extends IOException {

    private final int status;
    private final transient byte[] body;

    TransientAnswerException(String service, int status, byte[] body) {
        super(service + " answered HTTP " + status);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The start of the answer's body (problem details, usually), for the failure reason. */
    public byte[] body() {
        return body.clone();
    }
}
