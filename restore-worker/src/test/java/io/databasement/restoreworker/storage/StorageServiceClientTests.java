package io.databasement.restoreworker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorageServiceClientTests {

    @Test
    void objectKeysKeepTheirFoldersAndHaveEverythingElseEncoded() {
        assertThat(StorageServiceClient.encodePath("pg local/shop ü?#%/pg local-shop-2026.sql.zst"))
                .isEqualTo("pg%20local/shop%20%C3%BC%3F%23%25/pg%20local-shop-2026.sql.zst");
    }
}
