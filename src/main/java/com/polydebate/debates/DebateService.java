package com.polydebate.debates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.auth.User;
import com.polydebate.config.Config;
import com.polydebate.db.DebateChanges;
import com.polydebate.db.Timestamps;
import com.polydebate.http.ApiException;
import com.polydebate.markets.Market;
import com.polydebate.markets.MarketCatalog;
import com.polydebate.markets.Outcome;
import com.polydebate.models.AiModel;
import com.polydebate.models.ModelCatalog;
import com.polydebate.models.ModelNames;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Debate start (§9.1) and the owner controls pause, resume, stop and delete (§9.4–9.7). */
final class DebateService {
    private final Config config;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Jdbi jdbi;
    private final DebateStore store;
    private final EventLog events;
    private final DebateEngine engine;
    private final MarketCatalog markets;
    private final ModelCatalog models;
    private final DailyQuota quota;
    private final DebateHooks hooks;
    private final DebateChanges changes;

    DebateService(Config config, Clock clock, ObjectMapper mapper, Jdbi jdbi, EventLog events,
                  DebateEngine engine, MarketCatalog markets, ModelCatalog models, DailyQuota quota,
                  DebateHooks hooks, DebateChanges changes) {
        this.config = config;
        this.clock = clock;
        this.mapper = mapper;
        this.jdbi = jdbi;
        this.store = jdbi.onDemand(DebateStore.class);
        this.events = events;
        this.engine = engine;
        this.markets = markets;
        this.models = models;
        this.quota = quota;
        this.hooks = hooks;
        this.changes = changes;
    }

    StartAnswer start(User user, StartRequest request) {
        if (config.openRouterApiKey().isEmpty()) {
            throw new ApiException(503, "openrouter_not_configured",
                    "Debates are unavailable because no OpenRouter API key is configured on this server.");
        }
        Map<String, AiModel> catalogue = catalogue();
        List<String> missing = request.modelIds().stream()
                .filter(id -> !config.allowedModels().contains(id) || (catalogue != null && !catalogue.containsKey(id)))
                .toList();
        if (!missing.isEmpty()) {
            String list = String.join(", ", missing);
            throw new ApiException(422, "model_not_available", "These models are not available: " + list,
                    Map.of("model_ids", "not available: " + list));
        }
        Market market = markets.detail(request.marketId());
        if (market.outcomes() == null || market.outcomes().isEmpty()) {
            throw new ApiException(422, "market_has_no_outcomes", "This market has no outcomes to debate.");
        }
        List<DebateModel> debateModels = request.modelIds().stream().map(id -> {
            AiModel known = catalogue == null ? null : catalogue.get(id);
            return known != null ? new DebateModel(id, known.name(), known.provider())
                    : new DebateModel(id, ModelNames.derivedName(id), ModelNames.provider(id));
        }).toList();
        List<StoredOutcome> outcomes = market.outcomes().stream()
                .map(o -> new StoredOutcome(o.name(), o.slug(), o.price(), o.shares(), null, o.priceChange24h(),
                        o.imageUrl()))
                .toList();
        Map<String, Integer> odds = new LinkedHashMap<>();
        for (Outcome o : market.outcomes()) {
            odds.put(o.name(), (int) Math.floor(o.price() * 100 + 1e-9));
        }
        String debateId = UUID.randomUUID().toString();
        String createdAt = Timestamps.format(clock.instant());
        String oddsJson = json(odds);
        String description = market.description() == null ? "" : market.description();
        jdbi.useTransaction(h -> {
            if (!quota.tryReserve(h, user.id())) {
                throw quota.limitReached();
            }
            h.attach(DebateStore.class).insert(new DebateStore.NewDebate(debateId, user.id(), market.id(),
                    market.question(), description, market.category(), oddsJson, request.rounds(),
                    request.independentFirstRound(), createdAt, debateModels, outcomes));
        });
        engine.enqueueNew(new DebateRow(debateId, user.id(), DebateRow.INITIALIZED, false, false, market.id(),
                market.question(), description, request.rounds(), request.independentFirstRound(), 0, 0, null,
                createdAt, debateModels, outcomes));
        return StartAnswer.of(debateId, market, debateModels, request.rounds(), createdAt);
    }

    /** The filtered catalogue by id, or null when it cannot be loaded (then ALLOWED_MODELS decides). */
    private Map<String, AiModel> catalogue() {
        try {
            return models.models().stream()
                    .collect(Collectors.toMap(AiModel::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        } catch (ApiException e) {
            return null;
        }
    }

    /** The answer of pause (§9.4). */
    record PauseAnswer(String debateId, String status, int currentRound, String pausedAt) {
        PauseAnswer(String debateId, int currentRound, String pausedAt) {
            this(debateId, DebateRow.PAUSED, currentRound, pausedAt);
        }
    }

    /** The answer of resume (§9.5). */
    record ResumeAnswer(String debateId, String status, int currentRound, String resumedAt) {
        ResumeAnswer(String debateId, int currentRound, String resumedAt) {
            this(debateId, DebateRow.IN_PROGRESS, currentRound, resumedAt);
        }
    }

    /** The answer of stop (§9.6). */
    record StopAnswer(String debateId, String status, int completedRounds, int totalMessages, String stoppedAt) {
        StopAnswer(String debateId, int completedRounds, int totalMessages, String stoppedAt) {
            this(debateId, DebateRow.STOPPED, completedRounds, totalMessages, stoppedAt);
        }
    }

    /** The answer of delete (§9.7). */
    record DeleteAnswer(boolean success, String message, String debateId) {
    }

    PauseAnswer pause(User user, String debateId) {
        DebateRow debate = owned(user, debateId);
        if (!debate.active()) {
            throw notActive();
        }
        if (!debate.status().equals(DebateRow.PAUSED)) {
            String now = now();
            boolean applied = applyWithEvent(debateId, tx -> tx.pause(debateId),
                    new DebateEvent.Paused(debateId, actor(user, debate), debate.currentRound(), now));
            if (!applied) {
                return pauseAgain(user, debateId);
            }
            hooks.controlCommitted(debateId, "pause");
            engine.reconcile(debateId);
        }
        return new PauseAnswer(debateId, debate.currentRound(), now());
    }

    /** The pause found the debate not running: already paused (or resumed again since), or finished (409). */
    private PauseAnswer pauseAgain(User user, String debateId) {
        DebateRow now = owned(user, debateId);
        if (now.active()) {
            return new PauseAnswer(debateId, now.currentRound(), now());
        }
        throw notActive();
    }

    ResumeAnswer resume(User user, String debateId) {
        DebateRow debate = owned(user, debateId);
        if (!debate.active()) {
            throw notActive();
        }
        if (debate.status().equals(DebateRow.PAUSED)) {
            boolean applied = applyWithEvent(debateId, tx -> tx.resume(debateId),
                    new DebateEvent.Resumed(debateId, debate.currentRound(), now()));
            if (!applied && !owned(user, debateId).active()) {
                throw notActive();
            }
            hooks.controlCommitted(debateId, "resume");
            engine.reconcile(debateId);
        }
        return new ResumeAnswer(debateId, debate.currentRound(), now());
    }

    StopAnswer stop(User user, String debateId) {
        DebateRow debate = owned(user, debateId);
        return stopOwned(user, debate);
    }

    private StopAnswer stopOwned(User user, DebateRow debate) {
        String debateId = debate.debateId();
        String now = now();
        String by = actor(user, debate);
        int[] counts = new int[2];
        boolean stopped = events.lockedAndAnnounced(debateId, tx -> {
            counts[0] = tx.nextTurn(debateId);
            counts[1] = tx.messageCount(debateId);
            return tx.stop(debateId, by, now);
        });
        if (!stopped) {
            throw notActive();
        }
        hooks.controlCommitted(debateId, "stop");
        int completedRounds = counts[0] / Math.max(1, debate.models().size());
        Optional<DebateControl> control = engine.control(debateId);
        // A job on another instance, woken by the announcement, reads the stopped status and writes the terminal event.
        boolean jobRunning = control.isPresent() ? !control.get().stopOrFinish() : engine.runningElsewhere(debateId);
        if (!jobRunning) {
            control.ifPresent(c -> engine.forget(debateId, c));
            // No job is running it (queued, parked while paused, or unknown): the terminal event is written here.
            events.append(debateId, new DebateEvent.Stopped(debateId, by, completedRounds, counts[1], now));
        }
        return new StopAnswer(debateId, completedRounds, counts[1], now);
    }

    DeleteAnswer delete(User user, String debateId) {
        DebateRow debate = owned(user, debateId);
        if (debate.active()) {
            try {
                stopOwned(user, debate);
            } catch (ApiException e) {
                if (e.status() != 409) {
                    throw e;
                }
            }
        }
        jdbi.useTransaction(tx -> {
            tx.attach(DebateStore.class).softDelete(debateId);
            // Every instance serves debate documents from memory: the deletion must reach them all.
            changes.announce(tx, debateId);
        });
        return new DeleteAnswer(true, "Debate deleted", debateId);
    }

    /** Applies a conditional state change and its event together; false when the condition no longer held. */
    private boolean applyWithEvent(String debateId, Function<DebateStore, Boolean> change, DebateEvent event) {
        try {
            events.append(debateId, List.of(event), tx -> {
                if (!change.apply(tx)) {
                    throw new NotApplied();
                }
            });
            return true;
        } catch (NotApplied e) {
            return false;
        }
    }

    private static final class NotApplied extends RuntimeException {
        NotApplied() {
            super(null, null, false, false);
        }
    }

    private DebateRow owned(User user, String debateId) {
        DebateRow debate = store.find(debateId).filter(d -> !d.deleted())
                .orElseThrow(() -> ApiException.notFound("debate_not_found", "Debate not found"));
        boolean owner = debate.userId() != null && debate.userId() == user.id();
        if (!owner && !user.isAdmin()) {
            throw new ApiException(403, "forbidden", "Only the owner of this debate or an administrator may do this");
        }
        return debate;
    }

    private static String actor(User user, DebateRow debate) {
        boolean owner = debate.userId() != null && debate.userId() == user.id();
        return owner ? "user" : "admin";
    }

    private static ApiException notActive() {
        return new ApiException(409, "debate_not_active", "This debate has already finished");
    }

    private String now() {
        return Timestamps.format(clock.instant());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
