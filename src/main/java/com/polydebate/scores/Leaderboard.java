package com.polydebate.scores;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leaderboard (issue 14 §4): one row per model plus the ensemble and the market, over the scored debates in the
 * filter, best (lowest) mean final Brier score first. Means come from the rollup sums (minus soft-deleted debates);
 * the lift interval is a seeded bootstrap over the forecaster's lifts. Nothing here reloads a transcript.
 */
record Leaderboard(Query query, long debatesScored, List<Row> rows) {

    /** {@code category} lower case; {@code since}: debates created on or after that UTC day. */
    record Query(Optional<String> category, Optional<LocalDate> since, int minDebates) {
        Optional<String> sinceDay() {
            return since.map(LocalDate::toString);
        }

        /** The first whole month in the filter (all months when there is no {@code since}). */
        Optional<String> monthsFrom() {
            return since.map(d -> d.getDayOfMonth() == 1 ? d : d.withDayOfMonth(1).plusMonths(1))
                    .map(d -> d.toString().substring(0, 7));
        }

        /** From a date in mid-month: the days from it to the end of its month, summed day by day. */
        Optional<String> daysFrom() {
            return since.filter(d -> d.getDayOfMonth() != 1).map(LocalDate::toString);
        }

        Optional<String> daysUntil() {
            return since.filter(d -> d.getDayOfMonth() != 1).map(d -> d.withDayOfMonth(1).plusMonths(1).toString());
        }
    }

    record Bin(double from, double to, long count, Double meanForecast, Double observedFrequency) {
    }

    /**
     * One forecaster. Means are null when no debate in the filter has the score (a market has no round 1 and no
     * lift). {@code skill} = 1 − Σ Brier / Σ Brier(market) over its debates that have a market forecast.
     */
    record Row(String kind, String id, String name, long debates, Double meanBrierRound1, double meanBrierFinal,
               Double meanLift, Optional<Bootstrap.Interval> liftInterval, Double skill, Double meanLogRound1,
               double meanLogFinal, Double herding, List<Bin> calibration) {
    }

    /** Reads the lifts of one forecaster in the filter. */
    interface Lifts {
        double[] of(String kind, String subject);
    }

    private static final List<String> KIND_ORDER = List.of(DebateScore.ForecastScore.MODEL,
            DebateScore.ForecastScore.ENSEMBLE, DebateScore.ForecastScore.MARKET);

    static Leaderboard compute(Query query, List<RollupSums> sums, List<Contribution> deleted, Lifts lifts,
                               long seed) {
        Map<String, RollupSums> byKey = new LinkedHashMap<>();
        sums.forEach(s -> byKey.put(s.kind + "\n" + s.subject, s));
        for (Contribution c : deleted) {
            RollupSums s = byKey.get(c.kind() + "\n" + c.subject());
            if (s != null) {
                s.remove(c);
            }
        }
        long debatesScored = byKey.values().stream()
                .filter(s -> s.kind.equals(DebateScore.ForecastScore.ENSEMBLE)).mapToLong(s -> s.debates).sum();
        List<Row> rows = new ArrayList<>();
        for (RollupSums s : byKey.values()) {
            if (s.debates <= 0 || s.debates < query.minDebates()) {
                continue;
            }
            Optional<Bootstrap.Interval> interval = s.nLift > 0
                    ? Bootstrap.meanInterval(lifts.of(s.kind, s.subject), subjectSeed(seed, s.kind, s.subject))
                    : Optional.empty();
            rows.add(new Row(s.kind, s.subject, s.subjectName, s.debates,
                    mean(s.sumBrierRound1, s.nRound1), s.sumBrierFinal / s.debates, mean(s.sumLift, s.nLift),
                    interval, s.nSkill > 0 && s.sumSkillMarket > 0 ? 1 - s.sumSkillBrier / s.sumSkillMarket : null,
                    mean(s.sumLogRound1, s.nRound1), s.sumLogFinal / s.debates, mean(s.sumHerding, s.nHerding),
                    bins(s.calibration)));
        }
        rows.sort(Comparator.comparingDouble(Row::meanBrierFinal)
                .thenComparingInt(r -> KIND_ORDER.indexOf(r.kind()))
                .thenComparing(Row::id));
        return new Leaderboard(query, debatesScored, List.copyOf(rows));
    }

    /** Each forecaster's own stream, so that its interval does not depend on which other rows are shown. */
    static long subjectSeed(long seed, String kind, String subject) {
        return seed ^ (kind + ":" + subject).hashCode();
    }

    private static Double mean(double sum, long n) {
        return n > 0 ? sum / n : null;
    }

    private static List<Bin> bins(Calibration c) {
        List<Bin> bins = new ArrayList<>(Calibration.BINS);
        for (int b = 0; b < Calibration.BINS; b++) {
            long n = c.count[b];
            bins.add(new Bin(b / 10.0, (b + 1) / 10.0, n, n > 0 ? c.sumForecast[b] / n : null,
                    n > 0 ? (double) c.hits[b] / n : null));
        }
        return List.copyOf(bins);
    }
}
