package io.databasement.catalog.server;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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

@Tag(name = "servers", description = "Database servers to back up and restore into; passwords are sealed and never shown")
@RestController
@RequestMapping("/api/v1/servers")
class ServerController {

    private final ServerService service;

    ServerController(ServerService service) {
        this.service = service;
    }

    @Operation(operationId = "createServer", summary = "Register a database server")
    @ApiResponse(responseCode = "201", description = "Registered; Location names it", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Malformed JSON or an invalid field (listed in `errors`)")
    @ApiResponse(responseCode = "409", description = "A server with this name exists (`server-name-taken`)")
    @PostMapping
    ResponseEntity<ServerView> create(@Valid @RequestBody ServerRequest request) {
        Server server = service.create(request);
        return ResponseEntity.created(URI.create("/api/v1/servers/" + server.id())).body(ServerView.of(server));
    }

    @Operation(operationId = "listServers", summary = "List the registered servers")
    @GetMapping
    List<ServerView> list() {
        return service.list().stream().map(ServerView::of).toList();
    }

    @Operation(operationId = "getServer", summary = "Show one server")
    @ApiResponse(responseCode = "200", description = "The server", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No server with this id (`server-not-found`)")
    @GetMapping("/{id}")
    ServerView get(@PathVariable UUID id) {
        return ServerView.of(service.get(id));
    }

    @Operation(operationId = "updateServer", summary = "Change a server's connection",
            description = "Replaces every field; a request without `password` keeps the stored one.")
    @ApiResponse(responseCode = "200", description = "Changed", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "Malformed JSON or an invalid field (listed in `errors`)")
    @ApiResponse(responseCode = "404", description = "No server with this id (`server-not-found`)")
    @ApiResponse(responseCode = "409", description = "Another server has this name (`server-name-taken`)")
    @PutMapping("/{id}")
    ServerView update(@PathVariable UUID id, @Valid @RequestBody ServerRequest request) {
        return ServerView.of(service.update(id, request));
    }

    @Operation(operationId = "deleteServer", summary = "Forget a server", description = "Its snapshots stay.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No server with this id (`server-not-found`)")
    @ApiResponse(responseCode = "409", description = "A snapshot or restore of this server is pending or running (`server-busy`)")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "testServer", summary = "Test the connection",
            description = "Connects with the stored credentials and reports the server's version, or why it failed.")
    @ApiResponse(responseCode = "200", description = "The outcome of the test (also a failed connection)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No server with this id (`server-not-found`)")
    @PostMapping("/{id}/test")
    ConnectionTest test(@PathVariable UUID id) {
        return service.test(id);
    }
}
