package io.databasement.catalog.server;

import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/servers")
class ServerController {

    private final ServerService service;

    ServerController(ServerService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<ServerView> create(@Valid @RequestBody ServerRequest request) {
        Server server = service.create(request);
        return ResponseEntity.created(URI.create("/api/v1/servers/" + server.id())).body(ServerView.of(server));
    }

    @GetMapping
    List<ServerView> list() {
        return service.list().stream().map(ServerView::of).toList();
    }

    @GetMapping("/{id}")
    ServerView get(@PathVariable UUID id) {
        return ServerView.of(service.get(id));
    }

    @PutMapping("/{id}")
    ServerView update(@PathVariable UUID id, @Valid @RequestBody ServerRequest request) {
        return ServerView.of(service.update(id, request));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/test")
    ConnectionTest test(@PathVariable UUID id) {
        return service.test(id);
    }
}
