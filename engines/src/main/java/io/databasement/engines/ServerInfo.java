package io.databasement.engines;

/**
 * What a server says it is.
 *
 * @param databaseType {@code postgresql}, {@code mariadb} or {@code mysql} (as the server reports itself)
 * @param version      the server's version string, e.g. {@code 15.20} or {@code 10.11.19-MariaDB}
 * @param majorVersion e.g. 15, or 10 for MariaDB 10.11
 */
public record ServerInfo(String databaseType, String version, int majorVersion) {
}
