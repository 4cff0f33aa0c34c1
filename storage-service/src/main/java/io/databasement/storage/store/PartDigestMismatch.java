package io.databasement.storage.store;

import io.databasement.storage.web.Problem;
import org.springframework.http.HttpStatus;

public class PartDigestMismatch extends Problem {

    public PartDigestMismatch(int partNumber, String actualSha256) {
        super(HttpStatus.BAD_REQUEST, "part-digest-mismatch", "Part digest mismatch", "part " + partNumber + " does not match X-Content-SHA256 (received bytes hash to " + actualSha256 + "); it was dropped, send it again");
    }
}
