package io.databasement.worker.timing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongSupplier;

/**
 * Where an attempt's time went, step by step ("probe 12 ms, begin 4 ms, dump 912 ms, …"), for its closing log line:
 * the benchmark's fixed costs are read off these. Not thread-safe: one attempt's thread marks its steps.
 */
public final class Phases {

    private final LongSupplier nanos;
    private final Map<String, Long> elapsed = new LinkedHashMap<>();
    private long last;

    public Phases() {
        this(System::nanoTime);
    }

    Phases(LongSupplier nanos) {
        this.nanos = nanos;
        this.last = nanos.getAsLong();
    }

    /** Ends the step called {@code name}, which began where the previous one ended (or at construction). */
    public void mark(String name) {
        long now = nanos.getAsLong();
        elapsed.merge(name, now - last, Long::sum);
        last = now;
    }

    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ");
        elapsed.forEach((name, ns) -> s.add(name + " " + ns / 1_000_000 + " ms"));
        return s.toString();
    }
}
