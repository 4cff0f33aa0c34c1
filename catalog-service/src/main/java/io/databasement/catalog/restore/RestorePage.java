package io.databasement.catalog.restore;

import java.util.List;

/** One page of {@code GET /api/v1/restores}, newest first. */
public record RestorePage(List<RestoreView> items, int page, int size, long totalItems, int totalPages) {
}
