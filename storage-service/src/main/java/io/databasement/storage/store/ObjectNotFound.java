package io.databasement.storage.store;

import io.databasement.storage.web.Problem;
import org.springframework.http.HttpStatus;

public class ObjectNotFound extends Problem {

    public ObjectNotFound(String key) {
        super(HttpStatus.NOT_FOUND, "object-not-found", "Object not found", "no object " + key);
    }
}
