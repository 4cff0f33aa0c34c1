package io.databasement.storage.store;

import io.databasement.storage.web.Problem;
import org.springframework.http.HttpStatus;

public class PartMissing extends Problem {

    public PartMissing(String reason) {
        super(HttpStatus.BAD_REQUEST, "missing-part", "Missing part", reason);
    }
}
