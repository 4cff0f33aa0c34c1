package io.databasement.contracts;

/**
 * Rows and a content checksum of one table, counted from a dump stream while it passes (never by a later
 * query of a source that has moved on). The checksum does not depend on row order, so the same rows
 * dumped again from a restored copy give the same value.
 *
 * @param table    the table as the dump names it: {@code schema.table} for PostgreSQL, {@code table} for MySQL/MariaDB
 * @param rows     data rows in the dump
 * @param checksum 16 lowercase hex digits: the sum, modulo 2^64, of a 64-bit hash of each row's text in the dump
 */
public record TableStats(String table, long rows, String checksum) {
}
