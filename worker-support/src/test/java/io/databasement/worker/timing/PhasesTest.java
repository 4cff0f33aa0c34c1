package io.databasement.worker.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PhasesTest {

    @Test
    void eachStepTakesTheTimeSinceThePreviousMarkAndRepeatsAddUp() {
        AtomicLong clock = new AtomicLong(0);
        Phases phases = new Phases(clock::get);
        clock.set(12_000_000);
        phases.mark("probe");
        clock.set(15_000_000);
        phases.mark("begin");
        clock.set(915_000_000);
        phases.mark("dump");
        clock.set(916_500_000);
        phases.mark("begin");
        assertThat(phases).hasToString("probe 12 ms, begin 4 ms, dump 900 ms");
    }
}
