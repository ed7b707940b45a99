package com.polydebate.scores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The seeded percentile bootstrap of a mean: reproducible, order-free, and bounded in cost for long histories. */
class BootstrapTest {

    private static double[] sample(int n, long seed) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            // Skewed like lifts: mostly small, a tail of large ones.
            values[i] = random.nextGaussian() * 0.1 + (random.nextInt(10) == 0 ? 0.5 : 0);
        }
        return values;
    }

    @Test
    void the_same_values_and_seed_give_the_same_interval_whatever_their_order() {
        double[] values = sample(300, 1);
        double[] shuffled = values.clone();
        Random random = new Random(5);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
        assertThat(shuffled).isNotEqualTo(values);

        Bootstrap.Interval first = Bootstrap.meanInterval(values, 42).orElseThrow();
        assertThat(Bootstrap.meanInterval(values, 42)).contains(first);
        assertThat(Bootstrap.meanInterval(shuffled, 42)).contains(first);
        assertThat(Bootstrap.meanInterval(values, 43)).isNotEqualTo(java.util.Optional.of(first));
    }

    @Test
    void the_interval_brackets_the_mean_and_narrows_with_more_data() {
        double[] small = sample(40, 2);
        double[] large = sample(900, 2);
        Bootstrap.Interval wide = Bootstrap.meanInterval(small, 7).orElseThrow();
        Bootstrap.Interval narrow = Bootstrap.meanInterval(large, 7).orElseThrow();

        assertThat(wide.low()).isLessThan(Arrays.stream(small).average().orElseThrow());
        assertThat(wide.high()).isGreaterThan(Arrays.stream(small).average().orElseThrow());
        assertThat(narrow.high() - narrow.low()).isLessThan(wide.high() - wide.low());
    }

    @Test
    void no_values_give_no_interval_and_one_value_gives_a_point() {
        assertThat(Bootstrap.meanInterval(new double[0], 1)).isEmpty();
        assertThat(Bootstrap.meanInterval(new double[] {0.25}, 1))
                .contains(new Bootstrap.Interval(0.25, 0.25));
    }

    /** The full bootstrap of 20,000 values (40 million draws), done here as the textbook says. */
    private static double[] fullInterval(double[] values, long seed) {
        int n = values.length;
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[2000];
        for (int b = 0; b < 2000; b++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += values[random.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        return new double[] {means[50], means[1949]};
    }

    @Test
    void beyond_a_thousand_values_the_rescaled_resamples_agree_with_the_full_bootstrap() {
        double[] values = sample(20_000, 3);
        double[] full = fullInterval(values, 99);
        Bootstrap.Interval rescaled = Bootstrap.meanInterval(values, 5).orElseThrow();

        double width = full[1] - full[0];
        assertThat(rescaled.high() - rescaled.low()).isCloseTo(width, within(0.1 * width));
        assertThat(rescaled.low()).isCloseTo(full[0], within(0.1 * width));
        assertThat(rescaled.high()).isCloseTo(full[1], within(0.1 * width));
    }
}
