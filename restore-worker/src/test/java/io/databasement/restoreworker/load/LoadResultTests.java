package io.databasement.restoreworker.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadResultTests {

    private static final String SHA = "ab".repeat(32);

    private static LoadResult result(String sha, long bytes, String decompressError, int exit, String toolReason, boolean trailer) {
        return new LoadResult(bytes, 10 * bytes, sha, decompressError, exit, toolReason, trailer);
    }

    @Test
    void aCleanLoadMayBeSwappedIn() {
        assertThat(result(SHA, 100, null, 0, null, true).problem(SHA.toUpperCase(), 100, "psql", "-- end")).isNull();
    }

    @Test
    void aDamagedArtifactIsNamedBeforeTheToolErrorsItCaused() {
        String problem = result("cd".repeat(32), 100, "Corrupted block detected", 3, "ERROR:  syntax error", false)
                .problem(SHA, 100, "psql", "-- end");
        assertThat(problem).startsWith("checksum mismatch").contains(SHA);
    }

    @Test
    void aShortArtifactWithTheRightPrefixChecksumIsStillRefused() {
        assertThat(result(SHA, 99, null, 0, null, true).problem(SHA, 100, "psql", "-- end")).startsWith("size mismatch");
    }

    @Test
    void theToolsOwnWordsAreTheReasonWhenItFailed() {
        assertThat(result(SHA, 100, null, 3, "ERROR:  relation \"x\" does not exist", true).problem(SHA, 100, "psql", "-- end"))
                .isEqualTo("ERROR:  relation \"x\" does not exist");
        assertThat(result(SHA, 100, null, 1, "", true).problem(SHA, 100, "mariadb", "-- end")).isEqualTo("mariadb exited with code 1");
    }

    @Test
    void aDumpWithoutItsTrailerIsIncompleteEvenIfTheToolSucceeded() {
        assertThat(result(SHA, 100, null, 0, null, false).problem(SHA, 100, "psql", "-- PostgreSQL database dump complete"))
                .isEqualTo("the snapshot is incomplete: it does not end with \"-- PostgreSQL database dump complete\"");
    }
}
