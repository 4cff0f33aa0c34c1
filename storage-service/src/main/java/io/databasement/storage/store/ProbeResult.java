package io.databasement.storage.store;

public record ProbeResult(boolean ok, String message) {

    public static ProbeResult ok(String message) {
        return new ProbeResult(true, message);
    }

    public static ProbeResult failed(String message) {
        return new ProbeResult(false, message);
    }
}
