package io.databasement.backupworker.storage;

/** storage-service refused a call or could not be reached; the message is fit for a failure reason. */
public class StorageException extends Exception {

    private final int status;
    private final boolean partDigestMismatch;

    public StorageException(String message, int status) {
        this(message, status, false);
    }

    private StorageException(String message, int status, boolean partDigestMismatch) {
        super(message);
        this.status = status;
        this.partDigestMismatch = partDigestMismatch;
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.partDigestMismatch = false;
    }

    /** 400 {@code part-digest-mismatch}: the part arrived damaged and was dropped; sending it again may succeed. */
    public static StorageException partDigestMismatch(String message) {
        return new StorageException(message, 400, true);
    }

    public boolean partDigestMismatch() {
        return partDigestMismatch;
    }

    /** The HTTP status, or 0 if there was no answer. */
    public int status() {
        return status;
    }
}
