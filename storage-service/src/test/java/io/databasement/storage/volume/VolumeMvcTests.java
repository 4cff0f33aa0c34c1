package io.databasement.storage.volume;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.storage.web.Problem;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import io.databasement.storage.web.WebSliceConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@Import(WebSliceConfiguration.class)
@WebMvcTest(controllers = VolumeController.class, properties = {
        "dbm.storage.seal-key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "dbm.storage.service-token=test-token"})
class VolumeMvcTests {

    static final String PROBLEM = "https://databasement.io/problems/";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    VolumeService volumes;

    @Test
    void volumeWithoutANameIsRefusedNamingTheField() throws Exception {
        create("""
                {"type": "local", "path": "/srv/backups"}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-request"))
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("name")));
        verify(volumes, never()).create(any());
    }

    @Test
    void unknownVolumeTypeIsRefused() throws Exception {
        create("""
                {"name": "nas", "type": "ftp", "path": "/srv"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("type")));
    }

    @Test
    void relativeOrDottedLocalPathsAreRefused() throws Exception {
        for (String path : new String[] {"backups", "/srv/../etc", "/srv/./x"}) {
            create("""
                    {"name": "nas", "type": "local", "path": "%s"}""".formatted(path))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value("path"));
        }
    }

    @Test
    void s3VolumeListsEveryInvalidFieldAtOnceWithoutEchoingTheSecret() throws Exception {
        create("""
                {"name": "bucket", "type": "s3", "endpoint": "ftp://host", "bucket": "Bad_Bucket",
                 "accessKey": "AK", "secretKey": "", "prefix": "/abs", "publicEndpoint": "https://user:pw@host/path"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("endpoint")))
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("publicEndpoint")))
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("bucket")))
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("secretKey")))
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("prefix")));
    }

    @Test
    void s3PrefixThatClimbsOutIsRefused() throws Exception {
        create("""
                {"name": "bucket", "type": "s3", "endpoint": "http://127.0.0.1:9000", "bucket": "backups",
                 "accessKey": "AK", "secretKey": "sk", "prefix": "a/../b"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("prefix"));
    }

    @Test
    void malformedJsonIsAProblemThatDoesNotQuoteTheBody() throws Exception {
        create("{\"name\": \"x\", \"secretKey\": \"hunter2-secret\"")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEM + "malformed-request"))
                .andExpect(content().string(not(containsString("hunter2-secret"))));
    }

    @Test
    void createdVolumeAnswers201WithLocationAndNoSecret() throws Exception {
        UUID id = UUID.randomUUID();
        given(volumes.create(any())).willReturn(new VolumeView(id, "bucket", "s3", "s3://backups/team", null,
                "http://127.0.0.1:9000", "backups", null, "team", null, "AK", true, null, Instant.now(), Instant.now()));

        create("""
                {"name": "bucket", "type": "s3", "endpoint": "http://127.0.0.1:9000", "bucket": "backups",
                 "accessKey": "AK", "secretKey": "hunter2-secret", "prefix": "team/"}""")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/volumes/" + id))
                .andExpect(jsonPath("$.hasSecretKey").value(true))
                .andExpect(jsonPath("$.location").value("s3://backups/team"))
                .andExpect(jsonPath("$.secretKey").doesNotExist())
                .andExpect(content().string(not(containsString("hunter2-secret"))));
    }

    @Test
    void duplicateNameIsAConflict() throws Exception {
        given(volumes.create(any())).willThrow(new Problem(HttpStatus.CONFLICT, "volume-name-taken",
                "Volume name taken", "a volume named 'nas' already exists"));
        create("""
                {"name": "nas", "type": "local", "path": "/srv/backups"}""")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEM + "volume-name-taken"));
    }

    @Test
    void unknownVolumeIsA404Problem() throws Exception {
        UUID id = UUID.randomUUID();
        given(volumes.get(id)).willThrow(Problem.notFound("volume", id));
        mvc.perform(get("/api/v1/volumes/" + id))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "volume-not-found"));
    }

    @Test
    void volumeIdThatIsNotAUuidIsABadRequestProblem() throws Exception {
        mvc.perform(get("/api/v1/volumes/not-a-uuid"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-request"));
    }

    @Test
    void publicApiNeedsNoServiceToken() throws Exception {
        mvc.perform(get("/api/v1/volumes")).andExpect(status().isOk());
    }

    private ResultActions create(String json) throws Exception {
        return mvc.perform(post("/api/v1/volumes").contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
