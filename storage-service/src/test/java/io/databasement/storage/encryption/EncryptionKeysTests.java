package io.databasement.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.databasement.storage.web.Problem;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptionKeysTests {

    static final String GOOD = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aKeyOfAnotherLengthStopsStartupNamingTheIdButNotTheKey() {
        String short16 = Base64.getEncoder().encodeToString("sixteen byte key".getBytes());

        assertThatThrownBy(() -> new EncryptionKeys(new EncryptionProperties(Map.of("k1", short16))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dbm.storage.encryption.keys.k1 decodes to 16 bytes, not 32")
                .message().doesNotContain(short16);
    }

    @Test
    void aKeyThatIsNotBase64OrAnIdOutsideTheAlphabetStopsStartup() {
        assertThatThrownBy(() -> new EncryptionKeys(new EncryptionProperties(Map.of("k1", "not base64 !!"))))
                .hasMessageContaining("k1 is not base64").message().doesNotContain("not base64 !!");
        assertThatThrownBy(() -> new EncryptionKeys(new EncryptionProperties(Map.of("Bad_Id", GOOD))))
                .hasMessageContaining("key id 'Bad_Id' is not allowed");
    }

    @Test
    void configuredKeysAreFoundAndAnUnknownIdIsAProblemNamingTheSetting() {
        EncryptionKeys keys = new EncryptionKeys(new EncryptionProperties(Map.of("k1", GOOD)));

        assertThat(keys.find("k1")).isPresent();
        assertThat(keys.find("k2")).isEmpty();
        assertThatThrownBy(() -> keys.require("k-2")).isInstanceOf(Problem.class)
                .hasMessageContaining("DBM_STORAGE_ENCRYPTION_KEYS_K_2");
        assertThat(new EncryptionProperties(Map.of("k1", GOOD)).toString()).doesNotContain(GOOD);
    }
}
