package io.databasement.storage.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every local-store case again, with each upload declaring its part size as a worker does: parts land in place. */
class PositionalLocalObjectStoreTests extends LocalObjectStoreTests {

    @Override
    ObjectStore newStore() throws Exception {
        root = Files.createDirectories(tmp.resolve("volume"));
        return declaring(root, 5L * MIB);
    }

    /** Replaces the case of undeclared uploads: a part goes to its place in the one data file, nowhere else. */
    @Test
    @Override
    void partsAreStagedInTheHiddenUploadsFolder() throws Exception {
        String key = "staged/object.bin";
        String uploadId = store.initUpload(key);
        byte[] part = randomBytes(100, 13);
        store.putPart(key, uploadId, 7, new ByteArrayInputStream(part), sha256(part));

        Path dir = root.resolve(".uploads").resolve(uploadId);
        assertThat(Files.size(dir.resolve(PositionalUpload.DATA))).isEqualTo(6L * 5 * MIB + 100);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(PositionalUpload.DATA, PositionalUpload.PART_SIZE, "part-00007.etag");
        }
    }

    /** A folder store whose every upload declares {@code partSize}. */
    static LocalObjectStore declaring(Path root, long partSize) {
        return new LocalObjectStore(root) {
            @Override
            public String initUpload(String key) {
                return initUpload(key, UploadPlan.partSize(partSize));
            }
        };
    }
}
