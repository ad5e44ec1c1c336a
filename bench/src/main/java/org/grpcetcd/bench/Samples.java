package org.grpcetcd.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Figures of one variant of one measurement. */
final class Samples {
    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    int size() {
        return values.size();
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    private List<Double> sorted() {
        List<Double> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    double median() {
        List<Double> s = sorted();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    double min() {
        return sorted().get(0);
    }

    double max() {
        List<Double> s = sorted();
        return s.get(s.size() - 1);
    }

    /**
     * A 95 % confidence interval of the median, from order statistics (no assumption about the distribution):
     * the values at ranks n/2 ∓ 0.98·√n.
     */
    double[] medianInterval95() {
        List<Double> s = sorted();
        int n = s.size();
        int low = (int) Math.floor(n / 2.0 - 0.98 * Math.sqrt(n));
        int high = (int) Math.ceil(n / 2.0 + 0.98 * Math.sqrt(n));
        return new double[] {s.get(Math.max(0, low - 1)), s.get(Math.min(n - 1, high - 1))};
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    double percentile(double p) {
        List<Double> s = sorted();
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    /** {@code median [min–max]} in the unit's format. */
    String summary(Unit unit) {
        if (values.isEmpty()) {
            return "no figure";
        }
        return unit.format(median()) + " [" + unit.bare(min()) + "–" + unit.bare(max()) + "]";
    }

    /** How figures print. */
    enum Unit {
        MS(" ms"), US(" µs"), CALLS_PER_S(" calls/s"), MB(" MB"), KB(" KB"), COUNT("");

        private final String suffix;

        Unit(String suffix) {
            this.suffix = suffix;
        }

        String format(double value) {
            return bare(value) + suffix;
        }

        String bare(double value) {
            switch (this) {
                case MS:
                    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                            : Math.abs(value) >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                            : String.format(Locale.ROOT, "%.2f", value);
                case CALLS_PER_S:
                case COUNT:
                    return String.format(Locale.ROOT, "%.0f", value);
                case US:
                    return String.format(Locale.ROOT, "%.1f", value);
                case MB:
                    return String.format(Locale.ROOT, "%.1f", value);
                case KB:
                    return String.format(Locale.ROOT, "%.1f", value);
                default:
                    throw new AssertionError(this);
            }
        }
    }
}
