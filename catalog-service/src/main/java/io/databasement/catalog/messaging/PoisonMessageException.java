package io.databasement.catalog.messaging;

/** A message no retry will ever make valid: it goes to the dead-letter topic with this reason. */
public class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String reason) {
        super(reason);
    }
}
