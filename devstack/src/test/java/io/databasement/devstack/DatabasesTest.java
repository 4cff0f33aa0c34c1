package io.databasement.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabasesTest {

    @Test
    void quotesInNamesAreDoubledSoTheyCannotCloseTheIdentifier() {
        assertThat(Databases.quotePostgres("a\"; drop database x; --")).isEqualTo("\"a\"\"; drop database x; --\"");
        assertThat(Databases.quoteMariaDb("a`; drop database x; --")).isEqualTo("`a``; drop database x; --`");
    }

    @Test
    void emptyOrOverlongNamesAreRefused() {
        assertThatThrownBy(() -> Databases.quotePostgres("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Databases.quoteMariaDb("x".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }
}
