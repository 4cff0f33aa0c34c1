package io.databasement.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.contracts.SecretSealer;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ServerMvcTests extends CatalogTestSupport {

    @Autowired
    JsonMapper json;
    @Autowired
    ServerRepository servers;
    @Autowired
    SecretSealer sealer;

    static String body(String name, String type, int port, String password) {
        return """
                {"name": "%s", "type": "%s", "host": "127.0.0.1", "port": %d, "username": "postgres"%s}"""
                .formatted(name, type, port, password == null ? "" : ", \"password\": \"" + password + "\"");
    }

    ResultActions create(String body) throws Exception {
        return mvc.perform(post("/api/v1/servers").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    UUID createdId(String body) throws Exception {
        String response = create(body).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    @Test
    void registeredServerIsShownWithoutItsPassword() throws Exception {
        String name = unique("prod");
        String response = create(body(name, "postgresql", 5432, "s3cr3t-pw"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", Matchers.matchesPattern("/api/v1/servers/[0-9a-f-]{36}")))
                .andExpect(jsonPath("$.name").value(name))
                .andExpect(jsonPath("$.type").value("postgresql"))
                .andExpect(jsonPath("$.host").value("127.0.0.1"))
                .andExpect(jsonPath("$.port").value(5432))
                .andExpect(jsonPath("$.username").value("postgres"))
                .andExpect(jsonPath("$.hasPassword").value(true))
                .andExpect(jsonPath("$.createdAt").isNotEmpty())
                .andExpect(jsonPath("$.updatedAt").isNotEmpty())
                .andReturn().getResponse().getContentAsString();
        assertThat(response).doesNotContain("s3cr3t-pw").doesNotContain("v1:");
        assertThat(json.readTree(response).propertyNames()).containsExactlyInAnyOrder(
                "id", "name", "type", "host", "port", "username", "hasPassword", "createdAt", "updatedAt");
        String id = json.readTree(response).get("id").asString();

        String list = mvc.perform(get("/api/v1/servers")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(list).contains(id).doesNotContain("s3cr3t-pw").doesNotContain("v1:");
        mvc.perform(get("/api/v1/servers/" + id)).andExpect(status().isOk()).andExpect(jsonPath("$.name").value(name));

        // stored sealed, and the seal opens to what the user gave
        Server stored = servers.findById(UUID.fromString(id)).orElseThrow();
        assertThat(stored.sealedPassword()).startsWith("v1:").doesNotContain("s3cr3t-pw");
        assertThat(sealer.unseal(stored.sealedPassword())).isEqualTo("s3cr3t-pw");
    }

    @Test
    void secondServerWithTheSameNameIsAConflict() throws Exception {
        String name = unique("dup");
        create(body(name, "mariadb", 3306, "x")).andExpect(status().isCreated());
        create(body(name, "mysql", 3306, "y"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/server-name-taken"));
    }

    @Test
    void missingOrInvalidFieldsAreRejectedNamingTheField() throws Exception {
        create("""
                {"name": "x", "type": "postgresql", "port": 5432, "username": "u"}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/invalid-request"))
                .andExpect(jsonPath("$.errors[0].field").value("host"))
                .andExpect(jsonPath("$.detail", Matchers.containsString("host")));
        create(body(unique("o"), "oracle", 1521, null))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("type"));
        create(body(unique("h"), "postgresql", 5432, null).replace("127.0.0.1", "db.example:5432/x?socketFactory=evil"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("host"));
        create(body(unique("p"), "postgresql", 70000, null))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("port"));
    }

    @Test
    void controlCharactersInNameOrUsernameAreABadRequestNotAFailedInsert() throws Exception {
        // PostgreSQL text cannot hold NUL: found by HostileInputIT as a 500
        create(body(unique("n") + "\\u0000x", "postgresql", 5432, null))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/invalid-request"))
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        create(body(unique("u"), "postgresql", 5432, null).replace("\"postgres\"", "\"post\\u0000gres\""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("username"));
    }

    @Test
    void malformedJsonIsABadRequestWithoutEchoingTheBody() throws Exception {
        create("{\"name\": \"x\", \"password\": \"leak-me\", ")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/malformed-request"))
                .andExpect(content().string(Matchers.not(Matchers.containsString("leak-me"))));
    }

    @Test
    void unknownServerIsNotFound() throws Exception {
        mvc.perform(get("/api/v1/servers/" + UUID.randomUUID()))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/server-not-found"));
        mvc.perform(get("/api/v1/servers/not-a-uuid"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void updateWithoutPasswordKeepsTheStoredOne() throws Exception {
        UUID id = createdId(body(unique("upd"), "postgresql", 5432, "keep-me"));
        String renamed = unique("renamed");
        mvc.perform(put("/api/v1/servers/" + id).contentType(MediaType.APPLICATION_JSON)
                        .content(body(renamed, "postgresql", 5433, null)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value(renamed))
                .andExpect(jsonPath("$.port").value(5433))
                .andExpect(jsonPath("$.hasPassword").value(true));
        assertThat(sealer.unseal(servers.findById(id).orElseThrow().sealedPassword())).isEqualTo("keep-me");

        mvc.perform(put("/api/v1/servers/" + id).contentType(MediaType.APPLICATION_JSON)
                        .content(body(renamed, "postgresql", 5433, "new-one")))
                .andExpect(status().isOk());
        assertThat(sealer.unseal(servers.findById(id).orElseThrow().sealedPassword())).isEqualTo("new-one");
    }

    @Test
    void deletedServerIsGone() throws Exception {
        UUID id = createdId(body(unique("gone"), "mariadb", 3306, null));
        mvc.perform(delete("/api/v1/servers/" + id)).andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/servers/" + id)).andExpect(status().isNotFound());
    }

    @Test
    void connectionTestReportsTheRealServersVersion() throws Exception {
        UUID id = createdId(body(unique("local-pg"), "postgresql", 5432, null));
        mvc.perform(post("/api/v1/servers/" + id + "/test"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.ok").value(true))
                .andExpect(jsonPath("$.databaseType").value("postgresql"))
                .andExpect(jsonPath("$.version", Matchers.matchesPattern("\\d+\\.\\d+.*")));
    }

    @Test
    void connectionTestOfAnUnreachableServerGivesTheReasonAndNoPassword() throws Exception {
        UUID id = createdId(body(unique("nowhere"), "postgresql", 1, "hunter2-secret"));
        String response = mvc.perform(post("/api/v1/servers/" + id + "/test"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.ok").value(false))
                .andExpect(jsonPath("$.reason").isNotEmpty())
                .andReturn().getResponse().getContentAsString();
        assertThat(response).doesNotContain("hunter2-secret");
        JsonNode node = json.readTree(response);
        assertThat(node.has("version")).isFalse();
    }
}
