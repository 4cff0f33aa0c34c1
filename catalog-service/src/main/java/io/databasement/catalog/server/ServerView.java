package io.databasement.catalog.server;

import java.time.Instant;
import java.util.UUID;

/** What the API shows of a server: never the password, sealed or not. */
public record ServerView(UUID id, String name, String type, String host, int port, String username,
                         boolean hasPassword, Instant createdAt, Instant updatedAt) {

    static ServerView of(Server s) {
        return new ServerView(s.id(), s.name(), s.type(), s.host(), s.port(), s.username(), s.hasPassword(),
                s.createdAt(), s.updatedAt());
    }
}
