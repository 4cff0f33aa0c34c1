package io.databasement.restoreworker.storage;

/** storage-service could not give us the artifact; the message says why (its problem detail, or the I/O error). */
public class StorageException extends Exception {

    public StorageException(String message) {
        super(message);
    }
}
