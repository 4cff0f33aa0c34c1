package io.databasement.catalog.server;

import io.databasement.contracts.ServerConnection;
import io.databasement.engines.Endpoint;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A registered database server. The password is only ever held sealed ({@code v1:…}, AES-256-GCM).
 *
 * @param version null until first saved (that is how Spring Data JDBC tells an insert from an update)
 */
@Table("servers")
public record Server(@Id UUID id, String name, String type, String host, int port, String username,
                     String sealedPassword, Instant createdAt, Instant updatedAt, @Version Integer version) {

    public boolean hasPassword() {
        return sealedPassword != null;
    }

    public Endpoint endpoint() {
        return new Endpoint(type, host, port, username);
    }

    public ServerConnection connection() {
        return new ServerConnection(type, host, port, username, sealedPassword);
    }

    @Override
    public String toString() {
        return "Server[id=" + id + ", name=" + name + ", type=" + type + ", host=" + host + ", port=" + port + "]";
    }
}
