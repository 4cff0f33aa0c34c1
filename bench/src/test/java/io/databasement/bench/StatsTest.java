package io.databasement.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
        assertThat(Stats.of(List.of(5.0, 1.0, 3.0)).median()).isEqualTo(3.0);
    }

    @Test
    void p99IsTheNearestRank() {
        List<Double> values = new ArrayList<>();
        for (int i = 200; i >= 1; i--) {
            values.add((double) i);
        }
        Stats s = Stats.of(values);
        assertThat(s.percentile(99)).isEqualTo(198.0);
        assertThat(s.percentile(100)).isEqualTo(200.0);
        assertThat(s.min()).isEqualTo(1.0);
    }

    @Test
    void spreadIsTheRangeOverTheMedian() {
        assertThat(Stats.of(List.of(9.0, 10.0, 12.0)).spread()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void noValuesHaveNoPercentile() {
        assertThat(Stats.of(List.of()).percentile(50)).isNaN();
    }
}
