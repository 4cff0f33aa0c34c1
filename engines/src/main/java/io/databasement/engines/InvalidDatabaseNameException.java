package io.databasement.engines;

/** A database name the engine cannot accept; the message says why (fit for a 400 problem detail). */
public class InvalidDatabaseNameException extends IllegalArgumentException {

    public InvalidDatabaseNameException(String message) {
        super(message);
    }
}
