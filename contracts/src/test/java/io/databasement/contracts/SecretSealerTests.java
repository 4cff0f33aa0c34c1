package io.databasement.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretSealerTests {

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void sealedSecretOpensWithTheSameKeyOnly() {
        SecretSealer sealer = new SecretSealer(newKey());
        String sealed = sealer.seal("s3cr3t-Pässword");

        assertThat(sealed).startsWith("v1:").doesNotContain("s3cr3t");
        assertThat(sealer.seal("s3cr3t-Pässword")).isNotEqualTo(sealed);
        assertThat(sealer.unseal(sealed)).isEqualTo("s3cr3t-Pässword");
        assertThatIllegalArgumentException().isThrownBy(() -> new SecretSealer(newKey()).unseal(sealed))
                .withMessageNotContaining(sealed);
    }

    @Test
    void aTamperedSecretIsRefused() {
        SecretSealer sealer = new SecretSealer(newKey());
        String sealed = sealer.seal("secret");
        char[] chars = sealed.toCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';

        assertThatIllegalArgumentException().isThrownBy(() -> sealer.unseal(new String(chars)));
    }

    @Test
    void badKeysAreExplained() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SecretSealer("")).withMessageContaining("not configured");
        assertThatIllegalArgumentException().isThrownBy(() -> new SecretSealer("c2hvcnQ=")).withMessageContaining("32 bytes");
    }
}
