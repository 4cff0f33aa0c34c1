package io.databasement.engines;

/** A swap that did not complete; says whether the target database still is exactly what it was. */
public class SwapException extends EngineException {

    private final boolean targetTouched;

    public SwapException(String message, boolean targetTouched) {
        super(message);
        this.targetTouched = targetTouched;
    }

    /** False when nothing changed or every change was rolled back. */
    public boolean targetTouched() {
        return targetTouched;
    }
}
