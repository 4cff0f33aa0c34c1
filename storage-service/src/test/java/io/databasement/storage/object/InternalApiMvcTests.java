package io.databasement.storage.object;

import static org.hamcrest.Matchers.hasItem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.storage.store.LocalObjectStore;
import io.databasement.storage.store.PartRef;
import io.databasement.storage.upload.UploadController;
import io.databasement.storage.upload.UploadService;
import io.databasement.storage.volume.InternalVolumeController;
import io.databasement.storage.volume.Volume;
import io.databasement.storage.volume.VolumeService;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import io.databasement.storage.web.WebSliceConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The worker-facing API at the HTTP edge: token, keys, ranges, part checks. A real folder store stands behind. */
@Import(WebSliceConfiguration.class)
@WebMvcTest(controllers = {ObjectController.class, UploadController.class, InternalVolumeController.class},
        properties = {"dbm.storage.seal-key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "dbm.storage.service-token=test-token"})
class InternalApiMvcTests {

    static final String PROBLEM = "https://databasement.io/problems/";
    static final String TOKEN = "Bearer test-token";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    VolumeService volumes;

    @MockitoBean
    UploadService uploads;

    @TempDir
    Path folder;

    Volume volume;
    byte[] content;

    @BeforeEach
    void aVolumeWithOneObject() {
        volume = Volume.local("nas", folder.toString(), null, Instant.now());
        LocalObjectStore store = new LocalObjectStore(folder);
        given(volumes.require(volume.id())).willReturn(volume);
        given(volumes.storeOf(volume)).willReturn(store);

        content = "0123456789abcdefghij".repeat(50).getBytes(StandardCharsets.US_ASCII);
        String uploadId = store.initUpload("srv/db/dump.sql");
        store.putPart("srv/db/dump.sql", uploadId, 1, new ByteArrayInputStream(content), sha256(content));
        store.complete("srv/db/dump.sql", uploadId, List.of(new PartRef(1, null)), sha256(content));
    }

    @Test
    void internalCallWithoutTokenIsUnauthorized() throws Exception {
        mvc.perform(get("/internal/volumes/" + volume.id()))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "unauthorized"));
        verify(volumes, never()).require(any());
    }

    @Test
    void internalCallWithAWrongTokenIsUnauthorized() throws Exception {
        mvc.perform(get("/internal/volumes/" + volume.id()).header("Authorization", "Bearer test-tokeN"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("the service token is not valid"));
    }

    @Test
    void internalVolumeShowsThePublicStateOnly() throws Exception {
        mvc.perform(get("/internal/volumes/" + volume.id()).header("Authorization", TOKEN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.volumeId").value(volume.id().toString()))
                .andExpect(jsonPath("$.type").value("local"))
                .andExpect(jsonPath("$.location").value(folder.toString()));
    }

    @Test
    void wholeObjectComesBackWithLengthAndDigest() throws Exception {
        mvc.perform(get("/internal/objects/" + volume.id() + "/srv/db/dump.sql").header("Authorization", TOKEN))
                .andExpect(status().isOk())
                .andExpect(header().longValue("Content-Length", content.length))
                .andExpect(header().string("X-Object-SHA256", sha256(content)))
                .andExpect(content().bytes(content));
    }

    @Test
    void rangeRequestGetsPartialContent() throws Exception {
        mvc.perform(get("/internal/objects/" + volume.id() + "/srv/db/dump.sql").header("Authorization", TOKEN)
                        .header("Range", "bytes=10-29"))
                .andExpect(status().isPartialContent())
                .andExpect(header().string("Content-Range", "bytes 10-29/" + content.length))
                .andExpect(header().longValue("Content-Length", 20))
                .andExpect(content().bytes(Arrays.copyOfRange(content, 10, 30)));
    }

    @Test
    void suffixRangeGetsTheTail() throws Exception {
        mvc.perform(get("/internal/objects/" + volume.id() + "/srv/db/dump.sql").header("Authorization", TOKEN)
                        .header("Range", "bytes=-7"))
                .andExpect(status().isPartialContent())
                .andExpect(content().bytes(Arrays.copyOfRange(content, content.length - 7, content.length)));
    }

    @Test
    void rangeBeyondTheEndIsNotSatisfiable() throws Exception {
        mvc.perform(get("/internal/objects/" + volume.id() + "/srv/db/dump.sql").header("Authorization", TOKEN)
                        .header("Range", "bytes=5000-"))
                .andExpect(status().isRequestedRangeNotSatisfiable())
                .andExpect(header().string("Content-Range", "bytes */" + content.length))
                .andExpect(jsonPath("$.type").value(PROBLEM + "range-not-satisfiable"));
    }

    @Test
    void headGivesTheHeadersWithoutTheBytes() throws Exception {
        mvc.perform(head("/internal/objects/" + volume.id() + "/srv/db/dump.sql").header("Authorization", TOKEN))
                .andExpect(status().isOk())
                .andExpect(header().longValue("Content-Length", content.length))
                .andExpect(header().string("X-Object-SHA256", sha256(content)))
                .andExpect(content().bytes(new byte[0]));
    }

    @Test
    void missingObjectIsA404Problem() throws Exception {
        mvc.perform(get("/internal/objects/" + volume.id() + "/srv/db/nothing.sql").header("Authorization", TOKEN))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "object-not-found"));
    }

    @Test
    void hostileObjectKeyIsABadRequestProblem() throws Exception {
        mvc.perform(get("/internal/objects/" + volume.id() + "/.meta/srv/db/dump.sql.sha256")
                        .header("Authorization", TOKEN))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-object-key"));
    }

    @Test
    void startingAnUploadWithoutKeyNamesTheField() throws Exception {
        mvc.perform(post("/internal/uploads").header("Authorization", TOKEN).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"volumeId\": \"" + volume.id() + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("key")));
    }

    @Test
    void partWithoutDigestHeaderIsABadRequestProblem() throws Exception {
        mvc.perform(put("/internal/uploads/" + UUID.randomUUID() + "/parts/1").header("Authorization", TOKEN)
                        .contentType(MediaType.APPLICATION_OCTET_STREAM).content(content))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        verify(uploads, never()).putPart(any(), org.mockito.ArgumentMatchers.anyInt(), any(), any());
    }

    @Test
    void completeWithoutWholeDigestNamesTheField() throws Exception {
        mvc.perform(post("/internal/uploads/" + UUID.randomUUID() + "/complete").header("Authorization", TOKEN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"parts\": [{\"partNumber\": 1, \"etag\": \"x\"}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("sha256")));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
