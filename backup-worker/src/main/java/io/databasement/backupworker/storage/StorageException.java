package io.databasement.backupworker.storage;

/** storage-service refused a call or could not be reached; the message is fit for a failure reason. */
public class StorageException extends Exception {

    private final int status;

    public StorageException(String message, int status) {
        super(message);
        this.status = status;
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 if there was no answer. */
    public int status() {
        return status;
    }
}
