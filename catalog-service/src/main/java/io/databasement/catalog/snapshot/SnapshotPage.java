package io.databasement.catalog.snapshot;

import java.util.List;

/** One page of {@code GET /api/v1/snapshots}, newest first. */
public record SnapshotPage(List<SnapshotView> items, int page, int size, long totalItems, int totalPages) {
}
