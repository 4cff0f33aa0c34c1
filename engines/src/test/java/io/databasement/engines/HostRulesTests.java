package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostRulesTests {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1/postgres?socketFactory=x", "db?sslfactory=evil", "a@b", "db.example.com#x", "db example",
            "-oProxyCommand", ""})
    void hostsThatCouldSmuggleDriverOptionsIntoTheUrlAreRefusedBeforeAnyConnection(String host) {
        for (DatabaseEngine engine : Engines.all()) {
            assertThatThrownBy(() -> engine.probe(new Endpoint("postgresql", host, 5432, "u"), null))
                    .isInstanceOf(EngineException.class).hasMessageContaining("invalid host");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"db.example.com", "10.0.0.7", "::1", "fe80::1%eth0", "my_db-host"})
    void namesAndIpLiteralsAreAccepted(String host) {
        assertThatCode(() -> Hosts.check(new Endpoint("postgresql", host, 5432, "u"))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void portsOutsideTheTcpRangeAreRefused(int port) {
        assertThatThrownBy(() -> Hosts.check(new Endpoint("postgresql", "db", port, "u"))).hasMessageContaining("invalid port");
    }
}
