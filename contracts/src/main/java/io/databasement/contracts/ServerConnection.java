package io.databasement.contracts;

/**
 * How a worker reaches a database server. The password travels sealed (see {@link SecretSealer});
 * only workers holding the seal key can open it.
 *
 * @param engine         {@code postgresql}, {@code mariadb} or {@code mysql}
 * @param sealedPassword {@link SecretSealer#seal} output, or null for no password
 */
public record ServerConnection(String engine, String host, int port, String username, String sealedPassword) {

    @Override
    public String toString() {
        // never print the sealed password either: it is still a secret to anyone holding the key
        return "ServerConnection[engine=" + engine + ", host=" + host + ", port=" + port + ", username=" + username + "]";
    }
}
