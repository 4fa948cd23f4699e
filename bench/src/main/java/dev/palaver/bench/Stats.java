package dev.palaver.bench;

import java.util.Arrays;
import java.util.Locale;

/** Order statistics of a sample. Percentiles are nearest-rank: always a value that was measured. */
public final class Stats {

    private final double[] sorted;

    public Stats(double[] values) {
        sorted = values.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** The smallest value with at least {@code p} percent of the sample at or below it; NaN if empty. */
    public double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    public double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    public double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElseThrow();
    }

    /** "n=… min=… p50=… p90=… p99=… p99.9=… max=…" with {@code decimals} places. */
    public String summary(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, "n=%d min=" + f + " p50=" + f + " p90=" + f + " p99=" + f + " p99.9=" + f
                        + " max=" + f, count(), min(), percentile(50), percentile(90), percentile(99),
                percentile(99.9), max());
    }
}
