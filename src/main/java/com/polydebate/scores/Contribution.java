package com.polydebate.scores;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scored forecast adds to its forecaster's sums (score_rollups, and the leaderboard's corrections for
 * deleted debates): counts of the optional scores that exist and their sums.
 */
record Contribution(String kind, String subject, String subjectName, String category, String debateDay,
                    Double brierRound1, Double logRound1, double brierFinal, double logFinal, Double lift,
                    Double marketBrier, Double herding, Calibration calibration) {

    /** The rollup rows a forecast belongs to: its debate's UTC month and its UTC day. */
    List<String[]> buckets() {
        return List.of(new String[] {"month", debateDay.substring(0, 7)}, new String[] {"day", debateDay});
    }

    /**
     * The named parameters of addRollup.sql for one of {@link #buckets}, every count and sum multiplied by
     * {@code sign} (+1 add, −1 remove).
     */
    Map<String, Object> bindings(int sign, String[] bucket) {
        Map<String, Object> values = new HashMap<>();
        values.put("granularity", bucket[0]);
        values.put("bucket", bucket[1]);
        values.put("kind", kind);
        values.put("subject", subject);
        values.put("category", category);
        values.put("subjectName", subjectName);
        values.put("debates", sign);
        values.put("nRound1", brierRound1 == null ? 0 : sign);
        values.put("sumBrierRound1", brierRound1 == null ? 0.0 : sign * brierRound1);
        values.put("sumLogRound1", logRound1 == null ? 0.0 : sign * logRound1);
        values.put("sumBrierFinal", sign * brierFinal);
        values.put("sumLogFinal", sign * logFinal);
        values.put("nLift", lift == null ? 0 : sign);
        values.put("sumLift", lift == null ? 0.0 : sign * lift);
        values.put("nSkill", marketBrier == null ? 0 : sign);
        values.put("sumSkillBrier", marketBrier == null ? 0.0 : sign * brierFinal);
        values.put("sumSkillMarket", marketBrier == null ? 0.0 : sign * marketBrier);
        values.put("nHerding", herding == null ? 0 : sign);
        values.put("sumHerding", herding == null ? 0.0 : sign * herding);
        for (int b = 0; b < Calibration.BINS; b++) {
            values.put("calN" + b, sign * calibration.count[b]);
            values.put("calP" + b, sign * calibration.sumForecast[b]);
            values.put("calO" + b, sign * calibration.hits[b]);
        }
        return values;
    }
}
