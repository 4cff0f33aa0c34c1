package io.databasement.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/snapshots", "/api/v1/servers/3f2a-b", "/api/v1/snapshots?x", "/api/v1/x/%F0%9F%98%80",
            "/api/v1/x/caf%C3%A9", "/api/v1/x/%20a"})
    void printableUtf8PathsPass(String path) {
        assertThat(PathGuard.decodesToPrintableUtf8(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/x/%00", "/api/v1/x/%0a", "/api/v1/x/%7F", "/api/v1/x/%C0%AE%C0%AE", "/api/v1/x/%ff",
            "/api/v1/x/%E2%80", "/api/v1/x/%zz", "/api/v1/x/%4"})
    void controlCharactersAndBrokenUtf8AreRefused(String path) {
        assertThat(PathGuard.decodesToPrintableUtf8(path)).isFalse();
    }
}
