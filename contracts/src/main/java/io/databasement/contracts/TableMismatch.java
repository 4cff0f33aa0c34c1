package io.databasement.contracts;

/**
 * One table whose restored copy differs from the snapshot's dump. A null count or checksum: the table is
 * missing on that side.
 */
public record TableMismatch(String table, Long expectedRows, Long actualRows, String expectedChecksum,
                            String actualChecksum) {
}
