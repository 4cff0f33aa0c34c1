package io.databasement.catalog.server;

import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.SecretSealer;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.EngineException;
import io.databasement.engines.Engines;
import io.databasement.engines.ServerInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ServerService {

    private final ServerRepository servers;
    private final SecretSealer sealer;
    private final JdbcClient jdbc;
    private final Clock clock;

    ServerService(ServerRepository servers, SecretSealer sealer, JdbcClient jdbc, Clock clock) {
        this.servers = servers;
        this.sealer = sealer;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Server create(ServerRequest request) {
        if (servers.existsByName(request.name())) {
            throw nameTaken(request.name());
        }
        Instant now = now();
        Server server = new Server(UUID.randomUUID(), request.name(), request.type(), request.host(), request.port(),
                request.username(), seal(request.password()), now, now, null);
        return save(server);
    }

    @Transactional
    public Server update(UUID id, ServerRequest request) {
        Server current = get(id);
        if (!current.name().equals(request.name()) && servers.existsByName(request.name())) {
            throw nameTaken(request.name());
        }
        String sealed = request.password() == null ? current.sealedPassword() : seal(request.password());
        return save(new Server(id, request.name(), request.type(), request.host(), request.port(), request.username(),
                sealed, current.createdAt(), now(), current.version()));
    }

    public Server get(UUID id) {
        return servers.findById(id).orElseThrow(() -> CatalogException.notFound("server", id));
    }

    public List<Server> list() {
        return servers.findAllByOrderByNameAsc();
    }

    /** Snapshots of the server stay listed (the foreign key nulls their server id; they keep its name). */
    @Transactional
    public void delete(UUID id) {
        Server server = get(id);
        // lock the row so no snapshot can be requested between the check and the delete
        jdbc.sql("select id from servers where id = ? for update").param(id).query().singleRow();
        long open = jdbc.sql("select (select count(*) from snapshots where server_id = ? and status in ('PENDING', 'RUNNING'))"
                        + " + (select count(*) from restores where target_server_id = ? and status in ('PENDING', 'IN_PROGRESS'))")
                .params(id, id).query(Long.class).single();
        if (open > 0) {
            throw CatalogException.conflict("server-busy", "Server has jobs in progress",
                    "server " + server.name() + " has " + open + " snapshot(s) or restore(s) pending or running; delete it when they end");
        }
        servers.deleteById(id);
    }

    /** Connects with the stored credentials; a failure is an answer ({@code ok: false}), not an error. */
    public ConnectionTest test(UUID id) {
        Server server = get(id);
        DatabaseEngine engine = engine(server.type());
        try {
            ServerInfo info = engine.probe(server.endpoint(), sealer.unseal(server.sealedPassword()));
            return ConnectionTest.success(info.databaseType(), info.version());
        } catch (EngineException e) {
            return ConnectionTest.failure(e.getMessage());
        } catch (IllegalArgumentException e) {
            // the sealer's message never echoes the secret
            return ConnectionTest.failure(e.getMessage());
        }
    }

    public static DatabaseEngine engine(String type) {
        return Engines.forType(type).orElseThrow(() -> new IllegalStateException("no engine for type " + type));
    }

    private Server save(Server server) {
        try {
            return servers.save(server);
        } catch (DuplicateKeyException e) {
            // a concurrent request took the name between our check and the insert
            throw nameTaken(server.name());
        }
    }

    private String seal(String password) {
        return password == null || password.isEmpty() ? null : sealer.seal(password);
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: truncate so what we return equals what we read back later
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static CatalogException nameTaken(String name) {
        return CatalogException.conflict("server-name-taken", "Server name taken",
                "a server named '" + name + "' already exists");
    }
}
