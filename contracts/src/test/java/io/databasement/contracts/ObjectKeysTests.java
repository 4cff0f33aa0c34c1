package io.databasement.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTests {

    @Test
    void snapshotKeyIsReadableAndUniquePerAttempt() {
        UUID attempt = UUID.fromString("8f1c2d3e-0000-4000-8000-000000000000");
        String key = ObjectKeys.snapshotKey("prod-db", "shop", Instant.parse("2026-11-25T16:04:05Z"), attempt, Compression.ZSTD);

        assertThat(key).isEqualTo("prod-db/shop/prod-db-shop-2026-11-25-160405-8f1c2d3e.sql.zst");
        assertThat(ObjectKeys.validate(key)).isEqualTo(key);
    }

    @Test
    void hostileNamesBecomeSafeSegments() {
        String key = ObjectKeys.snapshotKey("../../etc", "a b/c;\"d'", Instant.EPOCH, UUID.randomUUID(), Compression.NONE);

        assertThat(key).startsWith("_.._.._etc/a_b_c__d_/").endsWith(".sql");
        assertThat(ObjectKeys.validate(key)).isEqualTo(key);
    }

    @Test
    void unicodeNamesAreKept() {
        assertThat(ObjectKeys.segment("données")).isEqualTo("données");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../b", "/etc/passwd", "a//b", "a\\b", "C:/x", "a/./b", "a/\u0000b", ".hidden/x", ""})
    void keysThatCouldEscapeTheVolumeAreRejected(String key) {
        assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.validate(key));
    }
}
