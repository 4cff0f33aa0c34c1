package io.databasement.storage.upload;

/** OPEN accepts parts; COMPLETED and ABORTED are terminal. */
public enum UploadState {
    OPEN, COMPLETED, ABORTED
}
