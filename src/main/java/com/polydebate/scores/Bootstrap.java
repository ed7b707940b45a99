package com.polydebate.scores;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The 95 % percentile bootstrap interval of a mean, reproducible: the values are sorted first (so their order in the
 * database does not matter), then {@value #RESAMPLES} resamples are drawn with a {@link SplittableRandom} seeded by
 * the caller. Each of its 64-bit numbers picks two values: its high 32 bits, then its low 32 bits, each multiplied by
 * n and shifted right by 32 (an index in [0, n)). The interval runs from the 51st to the 1,950th of the 2,000 sorted
 * resample means (50 left out on each side).
 *
 * <p>A resample draws {@code m = min(n, }{@value #MAX_DRAWS}{@code )} values with replacement. Up to that size this
 * is the ordinary bootstrap. Beyond it (a forecaster with thousands of scored debates) each resample mean is pulled
 * back towards the sample mean by √(m/n) — the rescaled m-out-of-n bootstrap, whose resample means have the same
 * centre and spread as full resamples — so that the leaderboard's cost stays bounded whatever the history.
 */
final class Bootstrap {
    static final int RESAMPLES = 2_000;
    static final int MAX_DRAWS = 1_000;
    static final double CONFIDENCE = 0.95;
    /** Resample means left out on each side: 2.5 % of them. */
    static final int TAIL = RESAMPLES / 40;

    record Interval(double low, double high) {
    }

    private Bootstrap() {
    }

    static Optional<Interval> meanInterval(double[] values, long seed) {
        int n = values.length;
        if (n == 0) {
            return Optional.empty();
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double mean = 0;
        for (double v : sorted) {
            mean += v;
        }
        mean /= n;
        int m = Math.min(n, MAX_DRAWS);
        double shrink = Math.sqrt((double) m / n);
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            double sum = 0;
            for (int j = 0; j < m; j += 2) {
                long bits = random.nextLong();
                sum += sorted[(int) (((bits >>> 32) * n) >>> 32)];
                if (j + 1 < m) {
                    sum += sorted[(int) (((bits & 0xFFFF_FFFFL) * n) >>> 32)];
                }
            }
            double resampled = sum / m;
            means[b] = m == n ? resampled : mean + (resampled - mean) * shrink;
        }
        Arrays.sort(means);
        return Optional.of(new Interval(means[TAIL], means[RESAMPLES - TAIL - 1]));
    }
}
