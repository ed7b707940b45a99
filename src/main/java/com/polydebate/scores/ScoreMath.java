package com.polydebate.scores;

import java.util.List;

/**
 * Proper scores of one multi-outcome forecast. A forecast is a probability per debated outcome (fractions, in outcome
 * order); {@code winner} is the index of the outcome that won, or {@link #OTHER} when the winner was not among the
 * debated outcomes, in which case an implicit extra outcome, forecast at 0, took it.
 */
final class ScoreMath {
    static final int OTHER = -1;
    /** The log score's floor: ln(0.001) ≈ −6.91 for a forecast that gave the winner nothing. */
    static final double LOG_FLOOR = 0.001;

    private ScoreMath() {
    }

    /** Σ_k (p_k − o_k)²: 0 is perfect, 2 the worst (all on one wrong outcome). */
    static double brier(double[] p, int winner) {
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            double o = k == winner ? 1 : 0;
            sum += (p[k] - o) * (p[k] - o);
        }
        return winner == OTHER ? sum + 1 : sum;
    }

    /** ln p_winner with p floored at {@link #LOG_FLOOR}: 0 is perfect. */
    static double log(double[] p, int winner) {
        double pw = winner == OTHER ? 0 : p[winner];
        return Math.log(Math.max(pw, LOG_FLOOR));
    }

    /** The outcome-wise mean of several forecasts of the same outcomes. */
    static double[] mean(List<double[]> forecasts) {
        double[] mean = new double[forecasts.get(0).length];
        for (double[] f : forecasts) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += f[k];
            }
        }
        for (int k = 0; k < mean.length; k++) {
            mean[k] /= forecasts.size();
        }
        return mean;
    }

    /**
     * How far apart the forecasters are: over the outcomes, the mean of the standard deviation (population, ÷ n)
     * of the forecasts of that outcome. Needs at least two forecasts.
     */
    static double dispersion(List<double[]> forecasts) {
        double[] mean = mean(forecasts);
        double total = 0;
        for (int k = 0; k < mean.length; k++) {
            double squares = 0;
            for (double[] f : forecasts) {
                squares += (f[k] - mean[k]) * (f[k] - mean[k]);
            }
            total += Math.sqrt(squares / forecasts.size());
        }
        return total / mean.length;
    }

    /** The calibration bin of a probability: [b/10, (b+1)/10), with 1.0 in the last bin. */
    static int bin(double p) {
        return Math.min(Calibration.BINS - 1, Math.max(0, (int) Math.floor(p * Calibration.BINS + 1e-9)));
    }
}
