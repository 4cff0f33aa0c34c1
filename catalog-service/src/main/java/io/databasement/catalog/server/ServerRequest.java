package io.databasement.catalog.server;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of POST and PUT {@code /api/v1/servers}. On PUT an absent password keeps the stored one.
 */
@Schema(example = """
        {"name": "shop-prod", "type": "postgresql", "host": "db1.example.internal", "port": 5432,
         "username": "backup", "password": "change-me"}""")
public record ServerRequest(
        // PostgreSQL text cannot hold NUL: refused here rather than failing the insert with a 500
        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String name,
        @NotNull @Pattern(regexp = "postgresql|mariadb|mysql", message = "must be postgresql, mariadb or mysql") String type,
        // a DNS name or an IP literal; anything else could end the authority of the JDBC URL the engines build
        @NotBlank @Size(max = 253)
        @Pattern(regexp = "[A-Za-z0-9_.][A-Za-z0-9._-]*|[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?",
                message = "must be a DNS name or an IP address") String host,
        @NotNull @Min(1) @Max(65535) Integer port,
        @NotBlank @Size(max = 128) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String username,
        @Size(max = 1024) String password) {

    @Override
    public String toString() {
        return "ServerRequest[name=" + name + ", type=" + type + ", host=" + host + ", port=" + port
                + ", username=" + username + "]";
    }
}
