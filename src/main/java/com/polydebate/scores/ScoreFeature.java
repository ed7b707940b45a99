package com.polydebate.scores;

import com.polydebate.results.ScoreBlocks;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Scores of debates on resolved markets and the public leaderboard (issue 14 §3–§5). {@link #scoreResolved} is what
 * the resolution tracker runs after each poll; {@link #scoreBlock} feeds the {@code score} block of the results.
 */
public final class ScoreFeature implements ScoreBlocks {
    /** The bootstrap's seed in production: any fixed number makes the intervals reproducible. */
    public static final long BOOTSTRAP_SEED = 20_261_128L;

    private final ScoreService service;
    private final ScoreRoutes routes;

    public ScoreFeature(Jdbi jdbi, Clock clock, long bootstrapSeed) {
        this.service = new ScoreService(jdbi.onDemand(ScoreDao.class), clock, bootstrapSeed);
        this.routes = new ScoreRoutes(service);
    }

    public void register(RoutesConfig routesConfig) {
        routes.register(routesConfig);
    }

    /** Scores every completed debate on a resolved market that has no current score yet. */
    public void scoreResolved() {
        service.scoreResolved();
    }

    @Override
    public Optional<Map<String, Object>> scoreBlock(String debateId) {
        return service.scoreBlock(debateId);
    }
}
