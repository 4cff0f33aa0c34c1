package io.databasement.engines;

/**
 * A database or tool problem, with a message fit to show a user (the tool's or driver's own words,
 * with any password removed).
 */
public class EngineException extends Exception {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
