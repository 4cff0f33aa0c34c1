package io.databasement.engines;

import java.nio.file.Path;

/**
 * A client tool found on this machine.
 *
 * @param versionLine  the tool's own {@code --version} line, e.g. {@code pg_dump (PostgreSQL) 15.20}
 * @param majorVersion the major version parsed from it
 */
public record InstalledTool(Path path, String versionLine, int majorVersion) {
}
