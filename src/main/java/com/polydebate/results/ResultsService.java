package com.polydebate.results;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.Config;
import com.polydebate.auth.User;
import com.polydebate.db.DebateChanges;
import com.polydebate.http.ApiException;
import com.polydebate.markets.Market;
import com.polydebate.markets.MarketCatalog;
import com.polydebate.markets.Outcome;
import com.polydebate.upstream.Sleeper;
import com.polydebate.upstream.UpstreamHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a reader sees of a debate: the debate document, results with statistics and the summary,
 * transcripts, the lists, and the narration status. {@link #finalizeResults} is the engine's completion hook.
 */
public final class ResultsService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultsService.class);
    static final Set<String> STATUSES = Set.of("initialized", "in_progress", "paused", "completed", "stopped",
            "failed");
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final DebateReadDao dao;
    private final TraceDao traces;
    private final SummaryService summaries;
    private final AudioStatusService audio;
    private final MarketCatalog markets;
    private final DocumentCache documents;
    private final Jdbi jdbi;
    private final DebateChanges changes;
    private final ObjectMapper mapper;
    private final ScoreBlocks scores;

    /** {@code scores}: the block of a debate whose market resolved, added to its results. */
    public ResultsService(Config config, Jdbi jdbi, UpstreamHttp upstream, MarketCatalog markets, ObjectMapper mapper,
                          Clock clock, RandomGenerator random, ScoreBlocks scores, DebateChanges changes) {
        this.mapper = mapper;
        this.jdbi = jdbi;
        this.changes = changes;
        this.documents = new DocumentCache(changes);
        this.scores = scores;
        this.dao = jdbi.onDemand(DebateReadDao.class);
        this.traces = jdbi.onDemand(TraceDao.class);
        Duration geminiTimeout = Duration.ofSeconds(config.geminiTimeoutSeconds());
        Optional<GeminiClient> gemini = config.geminiApiKey().map(key -> new GeminiClient(upstream, mapper,
                config.geminiApiUrl(), config.geminiModel(), key, geminiTimeout, clock, Sleeper.REAL, random));
        this.summaries = new SummaryService(jdbi, changes, gemini, config.geminiModel(), mapper, clock, geminiTimeout,
                config.instanceId(), Duration.ofSeconds(config.debateLeaseSeconds()), random);
        this.audio = new AudioStatusService(config.elevenLabsApiKey().map(key -> new ElevenLabsUserClient(upstream,
                mapper, config.elevenLabsApiUrl(), key, config.upstreamTimeouts().elevenLabsStatus())), clock);
        this.markets = markets;
    }

    /**
     * Completion hook of the debate engine (§11.12 step 4): computes and stores {@code final_predictions} and
     * the summary, so that a client reading the debate right after {@code debate_complete} finds both. Bounded
     * by {@code GEMINI_TIMEOUT_SECONDS}; Gemini failures end in the local summary, never in an exception.
     */
    public void finalizeResults(String debateId) {
        StoredDebate debate = dao.load(debateId).orElseThrow(ResultsService::notFound);
        Map<String, FinalPrediction> finals = finalPredictions(debate);
        summaries.ensure(debateId, () -> debate, finals, odds(debate));
    }

    /** Stops renewing summary claims (at shutdown, orderly or abrupt). */
    @Override
    public void close() {
        summaries.close();
    }

    /**
     * The serialized §9.2 document: from memory until a change of the debate is announced (a version check instead
     * while announcements from other instances may be missed), and a full load only when the debate changed.
     */
    byte[] document(String debateId) {
        if (!isUuid(debateId)) {
            throw notFound();
        }
        Optional<byte[]> current = documents.current(debateId);
        if (current.isPresent()) {
            return current.get();
        }
        DocumentCache.Stamp stamp = documents.stamp(debateId);
        DebateReadDao.Version version = dao.version(debateId).orElseThrow(ResultsService::notFound);
        return documents.get(debateId, version, stamp).orElseGet(() -> documents.put(debateId, version, stamp, () -> {
            try {
                return mapper.writeValueAsBytes(DebateDocuments.debate(load(debateId), this::readJson));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    Map<String, Object> results(String debateId) {
        StoredDebate debate = load(debateId);
        if (debate.row().isRunning()) {
            throw new ApiException(425, "debate_not_finished",
                    "The debate is still running; results are available once it has finished.",
                    Map.of("status", debate.row().status()));
        }
        Map<String, FinalPrediction> finals = finalPredictions(debate);
        Map<String, Integer> odds = odds(debate);
        JsonNode summary = summaries.ensure(debateId, () -> debate, finals, odds);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("debate_id", debate.row().debateId());
        body.put("status", debate.row().status());
        body.put("market", DebateDocuments.marketAlias(debate));
        body.put("summary", summary);
        body.put("final_predictions", finals);
        body.put("statistics", Statistics.compute(debate, finals, odds));
        body.put("completed_at", debate.row().completedAt());
        TraceDao.Costs costs = traces.costs(debateId).orElseThrow(ResultsService::notFound);
        body.put("total_tokens", costs.totalTokensUsed());
        body.put("total_cost", costs.knownCost().orElse(null));
        body.put("score", scores.scoreBlock(debateId).orElse(null));
        return body;
    }

    /**
     * A page of the debate's model-call traces, oldest first (issue 15 §3): for its owner and administrators only.
     */
    Map<String, Object> trace(User user, String debateId, int limit, int offset) {
        if (!UUID.matcher(debateId).matches()) {
            throw notFound();
        }
        TraceDao.Owner owner = traces.owner(debateId).orElseThrow(ResultsService::notFound);
        boolean owns = owner.userId() != null && owner.userId() == user.id();
        if (!owns && !user.isAdmin()) {
            throw new ApiException(403, "forbidden",
                    "Only the owner of this debate or an administrator may see its trace");
        }
        List<Map<String, Object>> calls = new ArrayList<>();
        for (TraceDao.TraceRow row : traces.page(debateId, limit, offset)) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("id", row.id());
            call.put("turn", row.turn());
            call.put("round", row.round());
            call.put("model_id", row.modelId());
            call.put("message_id", row.messageId());
            call.put("outcome", row.outcome());
            call.put("error", row.error());
            call.put("request", readJson(row.request()));
            call.put("attempts", readJson(row.attempts()));
            call.put("streamed", row.streamed());
            call.put("raw_answer", row.rawAnswer());
            call.put("parse_fallback", row.parseFallback());
            Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("prompt_tokens", row.promptTokens());
            usage.put("completion_tokens", row.completionTokens());
            usage.put("reasoning_tokens", row.reasoningTokens());
            usage.put("total_tokens", row.totalTokens());
            usage.put("cost", row.cost());
            call.put("usage", usage);
            call.put("latency_ms", row.latencyMs());
            call.put("time_to_first_token_ms", row.timeToFirstTokenMs());
            call.put("created_at", row.createdAt());
            calls.add(call);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("debate_id", debateId);
        body.put("total", traces.count(debateId));
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("calls", calls);
        return body;
    }

    Map<String, Object> transcriptJson(String debateId, boolean includeAudio) {
        return DebateDocuments.transcript(load(debateId), includeAudio);
    }

    String transcriptText(String debateId, boolean includeAudio) {
        return TranscriptText.render(load(debateId), includeAudio);
    }

    Map<String, Object> list(Optional<String> status, Optional<String> marketId, int limit, int offset) {
        DebateReadDao.ListPage page = dao.list(status, marketId, limit, offset);
        List<Map<String, Object>> items = new ArrayList<>();
        for (DebateReadDao.ListRow row : page.rows()) {
            String id = row.row().debateId();
            Map<String, FinalPrediction> finals = row.row().finalPredictions() != null
                    ? storedFinals(row.row().finalPredictions())
                    : FinalPrediction.compute(List.of(), page.predictions().getOrDefault(id, List.of()),
                            page.outcomeNames().getOrDefault(id, List.of()));
            Map<String, Integer> average = Statistics.average(page.outcomeNames().getOrDefault(id, List.of()),
                    finals.values());
            items.add(DebateDocuments.listItem(row, page.models().getOrDefault(id, List.of()), average));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("debates", items);
        body.put("total", page.total());
        body.put("offset", offset);
        body.put("limit", limit);
        return body;
    }

    /** §6.4: the market header never fails because of Polymarket. */
    Map<String, Object> marketDebates(String marketId, Optional<String> status, int limit, int offset) {
        Map<String, Object> list = list(status, Optional.of(marketId), limit, offset);
        Map<String, Object> market = new LinkedHashMap<>();
        market.put("id", marketId);
        Map<String, Double> odds = new LinkedHashMap<>();
        String question;
        try {
            Market detail = markets.detail(marketId);
            question = detail.question();
            for (Outcome outcome : detail.outcomes()) {
                odds.put(outcome.name(), outcome.price());
            }
        } catch (RuntimeException e) {
            log.info("Market {} unavailable for its debate history ({}); using stored data", marketId, e.toString());
            question = dao.newestQuestion(marketId).orElse("");
            odds.clear();
        }
        market.put("question", question);
        market.put("current_odds", odds);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("market", market);
        body.putAll(list);
        return body;
    }

    AudioStatusService.AudioStatus audioStatus() {
        return audio.status();
    }

    private StoredDebate load(String debateId) {
        if (!UUID.matcher(debateId).matches()) {
            throw notFound();
        }
        return dao.load(debateId).orElseThrow(ResultsService::notFound);
    }

    /** The same test as {@link #UUID}, without a matcher: the document is the most read route. */
    private static boolean isUuid(String id) {
        if (id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static ApiException notFound() {
        return ApiException.notFound("debate_not_found", "Debate not found");
    }

    /** The stored final predictions, computed and stored first when missing (stopped or recovered debates). */
    private Map<String, FinalPrediction> finalPredictions(StoredDebate debate) {
        if (debate.row().finalPredictions() != null) {
            return storedFinals(debate.row().finalPredictions());
        }
        Map<String, FinalPrediction> finals = FinalPrediction.compute(debate.models(), debate.messages(),
                debate.outcomeNames());
        String json;
        try {
            json = mapper.writeValueAsString(finals);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String debateId = debate.row().debateId();
        jdbi.useTransaction(tx -> {
            tx.attach(SummaryStore.class).storeFinalPredictions(debateId, json);
            changes.announce(tx, debateId);
        });
        return finals;
    }

    private Map<String, FinalPrediction> storedFinals(String json) {
        try {
            return mapper.readValue(json, new TypeReference<LinkedHashMap<String, FinalPrediction>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Integer> odds(StoredDebate debate) {
        Map<String, Integer> odds = new LinkedHashMap<>();
        readJson(debate.row().polymarketOdds()).fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                odds.put(e.getKey(), e.getValue().intValue());
            }
        });
        return odds;
    }

    private JsonNode readJson(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
