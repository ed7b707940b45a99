package com.polydebate.scores;

import com.polydebate.scores.DebateFacts.Forecast;
import com.polydebate.scores.DebateFacts.ModelFact;
import com.polydebate.scores.DebateFacts.OutcomeFact;
import com.polydebate.scores.DebateScore.ForecastScore;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores a debate against its market's settlement (issue 14 §3). Forecasts are the stored percentages over the
 * debate's outcomes divided by 100 (an outcome a model left out counts 0). Per model: its round-1 forecast (none when
 * it failed round 1) and its final one (its last successful forecast, whichever round that was). The ensemble is the
 * outcome-wise mean of the models' forecasts; the market is the outcome prices at the start, normalised to sum to 1
 * as the models' forecasts do. Herding compares the dispersion of the models that forecast in both round 1 and at the
 * end. Nothing is scored for a debate started after its market closed, or when several outcomes won.
 */
final class DebateScorer {
    static final String ENSEMBLE_NAME = "Ensemble (mean of the models)";
    static final String MARKET_NAME = "Polymarket (price at debate start)";

    private DebateScorer() {
    }

    static DebateScore score(DebateFacts debate, DebateFacts.Settlement settlement) {
        List<String> names = debate.outcomes().stream().map(OutcomeFact::name).toList();
        if (settlement.winnerCount() > 1) {
            return DebateScore.skipped(debate, "several_outcomes_won", names);
        }
        if (settlement.cutoff().map(c -> !debate.createdAt().isBefore(c)).orElse(false)) {
            return DebateScore.skipped(debate, "debate_after_close", names);
        }
        int winner = winnerIndex(debate.outcomes(), settlement);
        List<ModelForecasts> models = modelForecasts(debate, names);
        if (models.isEmpty() || names.isEmpty()) {
            return DebateScore.skipped(debate, "no_forecasts", names);
        }

        double[] market = marketForecast(debate.outcomes());
        Double marketBrier = market == null ? null : ScoreMath.brier(market, winner);

        List<double[]> bothRound1 = new ArrayList<>();
        List<double[]> bothFinal = new ArrayList<>();
        for (ModelForecasts m : models) {
            if (m.round1() != null) {
                bothRound1.add(m.round1());
                bothFinal.add(m.last());
            }
        }
        Double dispersionRound1 = bothRound1.size() >= 2 ? ScoreMath.dispersion(bothRound1) : null;
        Double dispersionFinal = bothFinal.size() >= 2 ? ScoreMath.dispersion(bothFinal) : null;
        Double herding = dispersionRound1 == null ? null : dispersionRound1 - dispersionFinal;

        List<ForecastScore> rows = new ArrayList<>();
        for (ModelForecasts m : models) {
            rows.add(row(ForecastScore.MODEL, m.model().modelId(), m.model().modelName(), m.position(),
                    m.round1() == null ? null : 1, m.lastRound(), m.round1(), m.last(), winner, names, marketBrier,
                    herding));
        }
        List<double[]> round1s = models.stream().map(ModelForecasts::round1).filter(f -> f != null).toList();
        double[] ensembleRound1 = round1s.isEmpty() ? null : ScoreMath.mean(round1s);
        double[] ensembleFinal = ScoreMath.mean(models.stream().map(ModelForecasts::last).toList());
        rows.add(row(ForecastScore.ENSEMBLE, ForecastScore.ENSEMBLE, ENSEMBLE_NAME, -2,
                ensembleRound1 == null ? null : 1, null, ensembleRound1, ensembleFinal, winner, names, marketBrier,
                herding));
        if (market != null) {
            rows.add(row(ForecastScore.MARKET, ForecastScore.MARKET, MARKET_NAME, -1, null, null, null, market, winner,
                    names, null, null));
        }
        return new DebateScore(debate.debateId(), debate.marketId(), DebateScore.SCORED, null,
                winner == ScoreMath.OTHER ? null : names.get(winner), winner == ScoreMath.OTHER, names,
                dispersionRound1, dispersionFinal, herding, category(debate), day(debate), List.copyOf(rows));
    }

    private static ForecastScore row(String kind, String subject, String name, int position, Integer round1Round,
                                     Integer finalRound, double[] round1, double[] last, int winner, List<String> names,
                                     Double marketBrier, Double herding) {
        Double brierRound1 = round1 == null ? null : ScoreMath.brier(round1, winner);
        double brierFinal = ScoreMath.brier(last, winner);
        return new ForecastScore(kind, subject, name, position, round1Round, finalRound,
                round1 == null ? null : percentages(round1, names), percentages(last, names), brierRound1, brierFinal,
                round1 == null ? null : ScoreMath.log(round1, winner), ScoreMath.log(last, winner),
                brierRound1 == null ? null : brierRound1 - brierFinal, marketBrier, herding,
                Calibration.of(last, winner));
    }

    /** A model's forecasts: its round-1 one (or null) and its last successful one with that round. */
    private record ModelForecasts(ModelFact model, int position, double[] round1, double[] last, int lastRound) {
    }

    /** Models in debate order that forecast at least once (a model that never did gets no row, never a made-up one). */
    private static List<ModelForecasts> modelForecasts(DebateFacts debate, List<String> names) {
        List<ModelForecasts> out = new ArrayList<>();
        for (int position = 0; position < debate.models().size(); position++) {
            ModelFact model = debate.models().get(position);
            double[] round1 = null;
            Forecast last = null;
            for (Forecast f : debate.forecasts()) {
                if (!f.modelId().equals(model.modelId())) {
                    continue;
                }
                if (f.round() == 1 && round1 == null) {
                    round1 = probabilities(f.percentages(), names);
                }
                if (last == null || f.sequence() > last.sequence()) {
                    last = f;
                }
            }
            if (last != null) {
                out.add(new ModelForecasts(model, position, round1, probabilities(last.percentages(), names),
                        last.round()));
            }
        }
        return out;
    }

    private static double[] probabilities(Map<String, Double> percentages, List<String> names) {
        double[] p = new double[names.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = percentages.getOrDefault(names.get(k), 0.0) / 100.0;
        }
        return p;
    }

    private static Map<String, Double> percentages(double[] p, List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < p.length; k++) {
            out.put(names.get(k), p[k] * 100.0);
        }
        return out;
    }

    /** The stored prices normalised to sum to 1; null when they sum to 0 (no market forecast to score). */
    private static double[] marketForecast(List<OutcomeFact> outcomes) {
        double sum = outcomes.stream().mapToDouble(o -> Math.max(0, o.price())).sum();
        if (sum <= 0) {
            return null;
        }
        double[] p = new double[outcomes.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.max(0, outcomes.get(k).price()) / sum;
        }
        return p;
    }

    /** The debated outcome that won: same CLOB token first, else same name; {@link ScoreMath#OTHER} when none. */
    private static int winnerIndex(List<OutcomeFact> outcomes, DebateFacts.Settlement settlement) {
        String token = settlement.winnerToken().orElse("");
        if (!token.isEmpty()) {
            for (int k = 0; k < outcomes.size(); k++) {
                if (token.equals(outcomes.get(k).slug())) {
                    return k;
                }
            }
        }
        String name = settlement.winnerName().map(n -> n.trim().toLowerCase(Locale.ROOT)).orElse("");
        if (!name.isEmpty()) {
            for (int k = 0; k < outcomes.size(); k++) {
                if (outcomes.get(k).name().trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return k;
                }
            }
        }
        return ScoreMath.OTHER;
    }

    static String category(DebateFacts debate) {
        return debate.category() == null ? "" : debate.category().trim().toLowerCase(Locale.ROOT);
    }

    static String day(DebateFacts debate) {
        return debate.createdAt().atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}
