package com.polydebate.scores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code GET /api/leaderboard} body. */
final class LeaderboardJson {
    private LeaderboardJson() {
    }

    static Map<String, Object> body(Leaderboard board, long seed) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("category", board.query().category().orElse(null));
        filters.put("since", board.query().sinceDay().orElse(null));
        filters.put("min_debates", board.query().minDebates());
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("resamples", Bootstrap.RESAMPLES);
        bootstrap.put("confidence", Bootstrap.CONFIDENCE);
        bootstrap.put("seed", seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Leaderboard.Row row : board.rows()) {
            rows.add(row(row));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("filters", filters);
        body.put("debates_scored", board.debatesScored());
        body.put("bootstrap", bootstrap);
        body.put("rows", rows);
        return body;
    }

    private static Map<String, Object> row(Leaderboard.Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", row.kind());
        out.put("model_id", row.id());
        out.put("model_name", row.name());
        out.put("debates_scored", row.debates());
        out.put("mean_brier_round1", row.meanBrierRound1());
        out.put("mean_brier_final", row.meanBrierFinal());
        out.put("mean_lift", row.meanLift());
        out.put("lift_ci95", row.liftInterval().map(i -> {
            Map<String, Object> interval = new LinkedHashMap<>();
            interval.put("low", i.low());
            interval.put("high", i.high());
            return interval;
        }).orElse(null));
        out.put("brier_skill_vs_market", row.skill());
        out.put("mean_log_score_round1", row.meanLogRound1());
        out.put("mean_log_score", row.meanLogFinal());
        out.put("herding", row.herding());
        List<Map<String, Object>> bins = new ArrayList<>();
        for (Leaderboard.Bin bin : row.calibration()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("from", bin.from());
            b.put("to", bin.to());
            b.put("count", bin.count());
            b.put("mean_forecast", bin.meanForecast());
            b.put("observed_frequency", bin.observedFrequency());
            bins.add(b);
        }
        out.put("calibration", bins);
        return out;
    }
}
