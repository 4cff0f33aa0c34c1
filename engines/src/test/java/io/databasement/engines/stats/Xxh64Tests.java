package io.databasement.engines.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Xxh64Tests {

    /** Expected values from the reference implementation (libxxhash 0.8.1, XXH64 with seed 0). */
    @Test
    void matchesTheReferenceImplementation() {
        assertThat(hash("")).isEqualTo(0xef46db3751d8e999L);
        assertThat(hash("a")).isEqualTo(0xd24ec4f1a98c6e5bL);
        assertThat(hash("abc")).isEqualTo(0x44bc2cf5ad770999L);
        assertThat(hash("Nobody inspects the spammish repetition, not even twice over 32 bytes")).isEqualTo(0x680b6e5e209db9e9L);
    }

    @Test
    void givesTheSameHashHoweverTheInputIsSplit() {
        byte[] text = "Nobody inspects the spammish repetition, not even twice over 32 bytes; and then some more text"
                .getBytes(StandardCharsets.UTF_8);
        Xxh64 whole = new Xxh64();
        whole.update(text, 0, text.length);
        for (int a = 0; a <= text.length; a++) {
            for (int b = a; b <= text.length; b += 5) {
                Xxh64 split = new Xxh64();
                split.update(text, 0, a);
                split.update(text, a, b - a);
                split.update(text, b, text.length - b);
                assertThat(split.digest()).as("split at %d and %d", a, b).isEqualTo(whole.digest());
            }
        }
    }

    static long hash(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Xxh64 h = new Xxh64();
        h.update(bytes, 0, bytes.length);
        return h.digest();
    }
}
