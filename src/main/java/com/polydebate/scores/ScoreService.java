package com.polydebate.scores;

import com.polydebate.db.Timestamps;
import com.polydebate.http.ApiException;
import com.polydebate.resolutions.ResolutionState;
import com.polydebate.scores.DebateScore.ForecastScore;
import com.polydebate.upstream.TtlCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores debates whose market resolved and serves them: the per-debate score, the leaderboard and what the
 * leaderboard page and diagram draw. Scoring reads only stored data (the debate tables and the tracker's record),
 * so a score can always be recomputed; {@link #SCORING_VERSION} names the current rules, and scores of an older
 * version are recomputed on the next pass.
 */
final class ScoreService {
    private static final Logger log = LoggerFactory.getLogger(ScoreService.class);
    static final int SCORING_VERSION = 1;
    private static final int BATCH = 200;
    private static final int MAX_FAILURES_IN_A_ROW = 10;
    private static final Duration LEADERBOARD_TTL = Duration.ofSeconds(60);
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final ScoreDao dao;
    private final Clock clock;
    private final long seed;
    private final AtomicLong generation = new AtomicLong();
    private final TtlCache<CacheKey, Leaderboard> leaderboards;

    /** Scores stored by this instance start a new generation, so its cached leaderboards are not reused. */
    private record CacheKey(Leaderboard.Query query, long generation) {
    }

    ScoreService(ScoreDao dao, Clock clock, long seed) {
        this.dao = dao;
        this.clock = clock;
        this.seed = seed;
        this.leaderboards = new TtlCache<>(clock, LEADERBOARD_TTL, 200, e -> false);
    }

    /** Scores every completed debate on a resolved market that has no current score; returns how many were stored. */
    int scoreResolved() {
        int stored = 0;
        int failuresInARow = 0;
        // A debate that could not be stored is not tried again in this pass (stored ones drop out of the query).
        Set<String> skipped = new HashSet<>();
        while (true) {
            List<String> todo = dao.eligible(SCORING_VERSION, BATCH + skipped.size()).stream()
                    .filter(id -> !skipped.contains(id)).toList();
            if (todo.isEmpty()) {
                return stored;
            }
            for (String debateId : todo) {
                try {
                    if (scoreOne(debateId)) {
                        stored++;
                    } else {
                        skipped.add(debateId);
                    }
                    failuresInARow = 0;
                } catch (RuntimeException e) {
                    skipped.add(debateId);
                    log.error("Scoring debate {} failed", debateId, e);
                    if (++failuresInARow >= MAX_FAILURES_IN_A_ROW) {
                        log.error("Scoring stops for now after {} failures in a row; the next poll tries again",
                                failuresInARow);
                        return stored;
                    }
                }
            }
        }
    }

    /**
     * Scores one debate if its market resolved and its stored score is missing or older than the current rules.
     * True when this call stored something.
     */
    boolean scoreOne(String debateId) {
        Optional<ScoreDao.Header> header = dao.header(debateId);
        if (header.isEmpty() || !header.get().status().equals("completed")) {
            return false;
        }
        Optional<ScoreDao.Resolution> resolution = dao.resolution(header.get().marketId())
                .filter(r -> r.state().equals(ResolutionState.RESOLVED.label()));
        if (resolution.isEmpty()) {
            return false;
        }
        Optional<ScoreDao.StoredDebate> existing = dao.stored(debateId);
        if (existing.isPresent() && existing.get().scoringVersion() >= SCORING_VERSION) {
            return false;
        }
        DebateScore score = DebateScorer.score(facts(header.get()), settlement(resolution.get()));
        ScoreDao.DebateRow row = debateRow(score);
        List<ScoreDao.ForecastRow> rows = new ArrayList<>();
        List<Contribution> contributions = new ArrayList<>();
        for (ForecastScore f : score.forecasts()) {
            rows.add(new ScoreDao.ForecastRow(debateId, f.kind(), f.subject(), f.subjectName(), score.category(),
                    score.debateDay(), f.position(), f.round1Round(), f.finalRound(),
                    ScoreJson.write(f.predictionsRound1()), ScoreJson.write(f.predictionsFinal()), f.brierRound1(),
                    f.brierFinal(), f.logRound1(), f.logFinal(), f.lift(), f.marketBrier(), f.herding(),
                    ScoreJson.write(f.calibration().toStored())));
            contributions.add(new Contribution(f.kind(), f.subject(), f.subjectName(), score.category(),
                    score.debateDay(), f.brierRound1(), f.logRound1(), f.brierFinal(), f.logFinal(), f.lift(),
                    f.marketBrier(), f.herding(), f.calibration()));
        }
        boolean stored = existing.isPresent()
                ? dao.replace(row, existing.get().scoringVersion(), rows, contributions)
                : dao.storeNew(row, rows, contributions);
        if (stored) {
            generation.incrementAndGet();
            log.info("Debate {} {} ({})", debateId, score.status(),
                    score.status().equals(DebateScore.SCORED) ? "winner " + score.winner() : score.reason());
        }
        return stored;
    }

    /** §4: the debate's score, or where it stands; 404 for an unknown or deleted debate. */
    Map<String, Object> score(String debateId) {
        if (debateId == null || !UUID.matcher(debateId).matches()) {
            throw notFound();
        }
        ScoreDao.Header header = dao.header(debateId).orElseThrow(ScoreService::notFound);
        return body(header);
    }

    /** The score block of /results: present once the debate is scored against a resolved market. */
    Optional<Map<String, Object>> scoreBlock(String debateId) {
        return dao.header(debateId).map(this::body).filter(b -> "resolved".equals(b.get("status")));
    }

    Leaderboard leaderboard(Leaderboard.Query query) {
        return leaderboards.get(new CacheKey(query, generation.get()), key -> computeLeaderboard(query));
    }

    /** The leaderboard straight from the database, no cache (what the benchmark measures). */
    Leaderboard computeLeaderboard(Leaderboard.Query query) {
        Optional<String> category = query.category();
        Optional<String> since = query.sinceDay();
        List<Contribution> deleted = dao.deletedForecasts(category, since).stream()
                .map(ScoreJson::contribution).toList();
        return Leaderboard.compute(query, dao.rollupSums(category, query.monthsFrom(), query.daysFrom(),
                        query.daysUntil()), deleted,
                (kind, subject) -> dao.lifts(kind, subject, category, since), seed);
    }

    long seed() {
        return seed;
    }

    private Map<String, Object> body(ScoreDao.Header header) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("debate_id", header.debateId());
        body.put("market_id", header.marketId());
        Optional<ScoreDao.Resolution> resolution = dao.resolution(header.marketId());
        String status;
        String reason = null;
        if (!header.status().equals("completed")) {
            status = "not_tracked";
            reason = "debate_not_completed";
        } else if (resolution.isEmpty()) {
            status = "not_tracked";
            reason = "market_not_checked_yet";
        } else if (resolution.get().state().equals(ResolutionState.VOID.label())) {
            status = "void";
            reason = "market_void";
        } else if (!resolution.get().state().equals(ResolutionState.RESOLVED.label())) {
            status = "pending";
        } else {
            scoreOne(header.debateId());
            ScoreDao.StoredDebate stored = dao.stored(header.debateId()).orElseThrow();
            if (stored.status().equals(DebateScore.SCORED)) {
                status = "resolved";
            } else {
                status = stored.reason().equals("several_outcomes_won") ? "void" : "not_tracked";
                reason = stored.reason();
            }
        }
        body.put("status", status);
        body.put("reason", reason);
        body.put("market_state", resolution.map(ScoreDao.Resolution::state).orElse(null));
        body.put("resolved_at", resolution.filter(r -> !r.state().equals("unknown"))
                .map(ScoreDao.Resolution::settledAt).orElse(null));
        if (!status.equals("resolved")) {
            body.put("winner", null);
            body.put("winner_not_debated", null);
            body.put("outcomes", null);
            body.put("market", null);
            body.put("ensemble", null);
            body.put("herding", null);
            body.put("models", List.of());
            body.put("scored_at", null);
            return body;
        }
        ScoreDao.StoredDebate stored = dao.stored(header.debateId()).orElseThrow();
        List<ScoreDao.StoredForecast> forecasts = dao.forecasts(header.debateId());
        body.put("winner", stored.winner());
        body.put("winner_not_debated", stored.winnerNotDebated());
        body.put("outcomes", ScoreJson.names(stored.outcomes()));
        body.put("market", forecasts.stream().filter(f -> f.kind().equals(ForecastScore.MARKET)).findFirst()
                .map(ScoreService::marketView).orElse(null));
        body.put("ensemble", forecasts.stream().filter(f -> f.kind().equals(ForecastScore.ENSEMBLE)).findFirst()
                .map(ScoreService::forecasterView).orElse(null));
        Map<String, Object> herding = new LinkedHashMap<>();
        herding.put("dispersion_round1", stored.dispersionRound1());
        herding.put("dispersion_final", stored.dispersionFinal());
        herding.put("herding", stored.herding());
        body.put("herding", herding);
        List<Map<String, Object>> models = new ArrayList<>();
        for (ScoreDao.StoredForecast f : forecasts) {
            if (f.kind().equals(ForecastScore.MODEL)) {
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("model_id", f.subject());
                model.put("model_name", f.subjectName());
                model.putAll(forecasterView(f));
                models.add(model);
            }
        }
        body.put("models", models);
        body.put("scored_at", stored.scoredAt());
        return body;
    }

    private static Map<String, Object> marketView(ScoreDao.StoredForecast f) {
        Map<String, Object> market = new LinkedHashMap<>();
        market.put("predictions", ScoreJson.predictions(f.predictionsFinal()));
        market.put("brier", f.brierFinal());
        market.put("log_score", f.logFinal());
        return market;
    }

    /** A model's or the ensemble's round-1 and final forecasts with their scores, lift and skill. */
    private static Map<String, Object> forecasterView(ScoreDao.StoredForecast f) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (f.predictionsRound1() == null) {
            view.put("round1", null);
        } else {
            Map<String, Object> round1 = new LinkedHashMap<>();
            round1.put("round", f.round1Round());
            round1.put("predictions", ScoreJson.predictions(f.predictionsRound1()));
            round1.put("brier", f.brierRound1());
            round1.put("log_score", f.logRound1());
            view.put("round1", round1);
        }
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("round", f.finalRound());
        last.put("predictions", ScoreJson.predictions(f.predictionsFinal()));
        last.put("brier", f.brierFinal());
        last.put("log_score", f.logFinal());
        view.put("final", last);
        view.put("lift", f.lift());
        view.put("brier_skill_vs_market", f.marketBrier() == null || f.marketBrier() == 0 ? null
                : 1 - f.brierFinal() / f.marketBrier());
        return view;
    }

    private DebateFacts facts(ScoreDao.Header header) {
        String id = header.debateId();
        List<DebateFacts.OutcomeFact> outcomes = dao.outcomes(id).stream()
                .map(o -> new DebateFacts.OutcomeFact(o.name(), o.slug(), o.price())).toList();
        List<DebateFacts.ModelFact> models = dao.models(id).stream()
                .map(m -> new DebateFacts.ModelFact(m.modelId(), m.modelName())).toList();
        Map<Integer, DebateFacts.Forecast> bySequence = new LinkedHashMap<>();
        for (ScoreDao.PredictionRow p : dao.predictions(id)) {
            bySequence.computeIfAbsent(p.sequence(), s -> new DebateFacts.Forecast(p.modelId(), p.round(),
                    p.sequence(), new LinkedHashMap<>())).percentages().put(p.outcomeName(), p.percentage());
        }
        return new DebateFacts(id, header.marketId(), header.status(), header.marketCategory(),
                Timestamps.parse(header.createdAt()), outcomes, models, List.copyOf(bySequence.values()));
    }

    /**
     * A debate forecasts only if it started before trading on the deciding market stopped (Gamma's closed time; its
     * settlement time, or the moment the tracker saw the resolution, when Gamma gives none).
     */
    private static DebateFacts.Settlement settlement(ScoreDao.Resolution r) {
        Optional<Instant> cutoff = Optional.ofNullable(r.closedAt()).or(() -> Optional.ofNullable(r.settledAt()))
                .or(() -> Optional.ofNullable(r.changedAt())).map(Timestamps::parse);
        return new DebateFacts.Settlement(Optional.ofNullable(r.winnerName()), Optional.ofNullable(r.winnerToken()),
                r.winnerCount(), cutoff);
    }

    private ScoreDao.DebateRow debateRow(DebateScore score) {
        return new ScoreDao.DebateRow(score.debateId(), score.marketId(), SCORING_VERSION, score.status(),
                score.reason(), score.winner(), score.winnerNotDebated(), ScoreJson.write(score.outcomes()),
                score.dispersionRound1(), score.dispersionFinal(), score.herding(),
                Timestamps.format(clock.instant()));
    }

    private static ApiException notFound() {
        return ApiException.notFound("debate_not_found", "Debate not found");
    }
}
