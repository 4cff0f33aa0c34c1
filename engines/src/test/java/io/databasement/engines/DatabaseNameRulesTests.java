package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseNameRulesTests {

    private final PostgresEngine postgres = new PostgresEngine();
    private final MariaDbEngine mariadb = new MariaDbEngine();

    @ParameterizedTest
    @ValueSource(strings = {"shop", "my shop", "a\"b", "a'b", "x; DROP DATABASE y; --", "a=b c", "café", "日本語", "$(rm -rf /)",
            "a`b", "a/b.c\\d"})
    void hostileButLegalNamesAreAcceptedByBothEnginesBecauseTheyNeverReachAShell(String name) {
        assertThatCode(() -> postgres.validateDatabaseName(name)).doesNotThrowAnyException();
        assertThatCode(() -> mariadb.validateDatabaseName(name)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\nb", "a\tb", "a\u001bb"})
    void controlCharactersAreRefusedWithAReason(String name) {
        assertThatThrownBy(() -> postgres.validateDatabaseName(name)).isInstanceOf(InvalidDatabaseNameException.class)
                .hasMessageContaining("must not contain");
        assertThatThrownBy(() -> mariadb.validateDatabaseName(name)).isInstanceOf(InvalidDatabaseNameException.class)
                .hasMessageContaining("must not contain");
    }

    @Test
    void aLeadingDashIsRefusedBecauseToolsWouldReadItAsAnOption() {
        assertThatThrownBy(() -> postgres.validateDatabaseName("-Fc")).hasMessageContaining("start with '-'");
        assertThatThrownBy(() -> mariadb.validateDatabaseName("--all-databases")).hasMessageContaining("start with '-'");
    }

    @Test
    void emptyNamesAreRefused() {
        assertThatThrownBy(() -> postgres.validateDatabaseName("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> mariadb.validateDatabaseName(null)).hasMessageContaining("empty");
    }

    @Test
    void postgresCountsTheLimitInUtf8BytesNotCharacters() {
        assertThatCode(() -> postgres.validateDatabaseName("x".repeat(63))).doesNotThrowAnyException();
        assertThatThrownBy(() -> postgres.validateDatabaseName("x".repeat(64))).hasMessageContaining("64 bytes");
        // 32 two-byte characters = 64 bytes: too long for PostgreSQL although only 32 characters
        assertThatThrownBy(() -> postgres.validateDatabaseName("é".repeat(32))).hasMessageContaining("at most 63");
        assertThatCode(() -> postgres.validateDatabaseName("😀 emoji")).doesNotThrowAnyException();
    }

    @Test
    void mariadbCountsTheLimitInCharactersAndRefusesWhatTheServerRefuses() {
        assertThatCode(() -> mariadb.validateDatabaseName("é".repeat(64))).doesNotThrowAnyException();
        assertThatThrownBy(() -> mariadb.validateDatabaseName("x".repeat(65))).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> mariadb.validateDatabaseName("trailing ")).hasMessageContaining("end with a space");
        assertThatThrownBy(() -> mariadb.validateDatabaseName("a😀")).hasMessageContaining("utf8mb3");
    }
}
