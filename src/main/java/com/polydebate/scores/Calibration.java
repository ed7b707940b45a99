package com.polydebate.scores;

import java.util.ArrayList;
import java.util.List;

/**
 * Reliability counts of forecasts: per probability bin [b/10, (b+1)/10) (1.0 in the last), how many probabilities
 * fell in it, their sum, and how many of those outcomes came true. Sums add up across forecasts and debates.
 */
final class Calibration {
    static final int BINS = 10;

    final long[] count = new long[BINS];
    final double[] sumForecast = new double[BINS];
    final long[] hits = new long[BINS];

    /** One forecast's contribution: each debated outcome's probability and whether it won. */
    static Calibration of(double[] p, int winner) {
        Calibration c = new Calibration();
        for (int k = 0; k < p.length; k++) {
            int b = ScoreMath.bin(p[k]);
            c.count[b]++;
            c.sumForecast[b] += p[k];
            c.hits[b] += k == winner ? 1 : 0;
        }
        return c;
    }

    void add(Calibration other, int sign) {
        for (int b = 0; b < BINS; b++) {
            count[b] += sign * other.count[b];
            sumForecast[b] += sign * other.sumForecast[b];
            hits[b] += sign * other.hits[b];
        }
    }

    /** Compact stored form: the non-empty bins as [bin, count, sum, hits]. */
    List<List<Number>> toStored() {
        List<List<Number>> bins = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            if (count[b] != 0) {
                bins.add(List.of(b, count[b], sumForecast[b], hits[b]));
            }
        }
        return bins;
    }

    static Calibration fromStored(List<List<Number>> bins) {
        Calibration c = new Calibration();
        for (List<Number> bin : bins) {
            int b = bin.get(0).intValue();
            c.count[b] = bin.get(1).longValue();
            c.sumForecast[b] = bin.get(2).doubleValue();
            c.hits[b] = bin.get(3).longValue();
        }
        return c;
    }
}
