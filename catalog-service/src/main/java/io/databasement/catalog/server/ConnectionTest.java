package io.databasement.catalog.server;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Answer of {@code POST /api/v1/servers/{id}/test}: either the server's identity or the driver's reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionTest(boolean ok, String databaseType, String version, String reason) {

    static ConnectionTest success(String databaseType, String version) {
        return new ConnectionTest(true, databaseType, version, null);
    }

    static ConnectionTest failure(String reason) {
        return new ConnectionTest(false, null, null, reason);
    }
}
