package io.databasement.storage.volume;

public record VolumeTestResult(boolean ok, String message) {
}
