package io.databasement.storage.store;

import io.databasement.storage.web.Problem;
import org.springframework.http.HttpStatus;

public class ObjectKeyRefused extends Problem {

    public ObjectKeyRefused(String reason) {
        super(HttpStatus.BAD_REQUEST, "invalid-object-key", "Invalid object key", reason);
    }
}
