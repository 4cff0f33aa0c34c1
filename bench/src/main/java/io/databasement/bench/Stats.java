package io.databasement.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, spread and percentiles of a few measurements. */
record Stats(List<Double> values) {

    Stats {
        values = List.copyOf(values);
    }

    static Stats of(List<Double> values) {
        return new Stats(values);
    }

    double median() {
        return percentile(50);
    }

    double min() {
        return sorted().get(0);
    }

    double max() {
        return sorted().get(values.size() - 1);
    }

    /** Nearest-rank percentile: p99 of 200 values is the 198th smallest. */
    double percentile(double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = sorted();
        if (p == 50 && s.size() % 2 == 0) {
            return (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    /** (max - min) / median: how far apart the repetitions were. */
    double spread() {
        double m = median();
        return values.isEmpty() || m == 0 ? Double.NaN : (max() - min()) / m;
    }

    private List<Double> sorted() {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }
}
