package io.databasement.storage.store;

import io.databasement.storage.web.Problem;
import org.springframework.http.HttpStatus;

public class StoreFailure extends Problem {

    public StoreFailure(String reason) {
        super(HttpStatus.BAD_GATEWAY, "storage-backend-error", "Storage backend error", reason);
    }
}
