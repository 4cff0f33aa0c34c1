package io.databasement.backupworker.dump;

/** The dump could not be taken or stored; the message is the reason shown to the user (already scrubbed). */
public class DumpFailedException extends Exception {

    public DumpFailedException(String reason) {
        super(reason);
    }
}
