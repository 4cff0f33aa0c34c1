package io.databasement.engines;

/**
 * Where a database server listens and who we are there. The password is passed separately and never
 * kept in a value that might be logged.
 *
 * @param engine {@code postgresql}, {@code mariadb} or {@code mysql}
 */
public record Endpoint(String engine, String host, int port, String username) {
}
