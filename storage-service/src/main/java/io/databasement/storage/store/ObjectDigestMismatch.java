package io.databasement.storage.store;

import io.databasement.storage.web.Problem;
import org.springframework.http.HttpStatus;

public class ObjectDigestMismatch extends Problem {

    public ObjectDigestMismatch(String actualSha256) {
        super(HttpStatus.BAD_REQUEST, "object-digest-mismatch", "Object digest mismatch", "the parts hash to " + actualSha256 + ", not to the sha256 given; the upload stays open");
    }
}
