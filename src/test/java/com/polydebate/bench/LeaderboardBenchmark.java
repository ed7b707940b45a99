package com.polydebate.bench;

import com.polydebate.db.Timestamps;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@code GET /api/leaderboard} over 100,000 scored model-debate rows, uncached, on the real server (full HTTP stack,
 * JSON included). Not a test: run it by hand, see docs/benchmarks.md.
 *
 * <p>Setup: 33,334 completed debates (3 of 10 models each, 2 rounds, 5 % of turns failed, binary and 3-way
 * markets, 15 categories, spread over a year) are stored as the engine stores them, their 5,000 markets are marked
 * resolved in market_resolutions, and the tracker's poll scores them all through the real scoring path. Then each
 * request asks for a different {@code min_debates} (every value passes every forecaster), so no answer comes from
 * the server's cache while each computes the whole leaderboard, bootstrap included.
 *
 * <p>Arguments (optional): {@code sqlite} (default) or {@code postgresql} (needs POLYDEBATE_TEST_DATABASE_URL),
 * model-debate rows (100000), measured requests per scenario (30).
 */
public final class LeaderboardBenchmark {
    private static final int MODELS = 10;
    private static final int MODELS_PER_DEBATE = 3;
    private static final int MARKETS = 5_000;
    private static final int CATEGORIES = 15;
    private static final Instant FIRST_DAY = Instant.parse("2025-11-01T00:00:00Z");

    private LeaderboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "sqlite";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        if (database.equals("postgresql")) {
            System.setProperty("polydebate.test.database", "postgresql");
        }
        // A model that failed both rounds of a debate has no row there (about 1 in 400): a few more debates make up.
        int debates = (int) Math.ceil(rows * 1.004 / MODELS_PER_DEBATE);
        Path storage = Files.createTempDirectory("polydebate-leaderboard-bench");
        try (TestServer server = TestServer.builder().storage(storage).env("RESOLUTION_POLL_MINUTES", "0").start()) {
            long started = System.nanoTime();
            populate(server, debates);
            analyze(server);
            long populated = System.nanoTime();
            server.app().resolutions().pollDue();
            long scored = System.nanoTime();
            analyze(server);
            long modelRows = server.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM forecast_scores WHERE kind = 'model'").mapTo(Long.class).one());
            long rollups = server.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM score_rollups")
                    .mapTo(Long.class).one());
            System.out.printf(Locale.ROOT, "database=%s (%s) cores=%d java=%s load=%s%n", database,
                    TestDatabases.onPostgres() ? "PostgreSQL" : "SQLite file",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage());
            System.out.printf(Locale.ROOT, "%d debates stored in %.1f s; %d scored in %.1f s (%.0f debates/s): "
                            + "%d model-debate rows, %d rollup rows%n", debates, seconds(started, populated), debates,
                    seconds(populated, scored), debates / seconds(populated, scored), modelRows, rollups);

            int next = 1;
            for (String[] scenario : new String[][] {{"all debates", ""}, {"one category", "&category=cat-3"},
                    {"since a day", "&since=2026-05-01"}}) {
                for (int i = 0; i < 5; i++) {
                    request(server, next++, scenario[1]);
                }
                long[] nanos = new long[runs];
                int size = 0;
                for (int i = 0; i < runs; i++) {
                    long t = System.nanoTime();
                    size = request(server, next++, scenario[1]);
                    nanos[i] = System.nanoTime() - t;
                }
                Arrays.sort(nanos);
                System.out.printf(Locale.ROOT, "%-13s uncached GET /api/leaderboard: min %6.1f ms  p50 %6.1f ms  "
                                + "p90 %6.1f ms  max %6.1f ms  (%d requests, %d bytes)%n", scenario[0],
                        nanos[0] / 1e6, nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6, nanos[runs - 1] / 1e6,
                        runs, size);
            }
            System.out.printf(Locale.ROOT, "load=%s%n", loadAverage());
        }
    }

    /** One leaderboard under a {@code min_debates} no earlier request used (a cache miss), its body size. */
    private static int request(TestServer server, int minDebates, String filter) {
        TestResponse response = server.http().get("/api/leaderboard?min_debates=" + minDebates + filter);
        if (response.status() != 200 || !response.body().contains("\"rows\"")) {
            throw new IllegalStateException("leaderboard answered " + response.status() + ": " + response.body());
        }
        return response.bytes().length;
    }

    /** Debates, their models, outcomes, messages and predictions, and their markets resolved; batched. */
    private static void populate(TestServer server, int debates) {
        Random random = new Random(14);
        String now = Timestamps.format(Instant.parse("2026-11-28T00:00:00Z"));
        server.jdbi().useTransaction(h -> {
            PreparedBatch debateRows = h.prepareBatch("""
                    INSERT INTO debates (debate_id, status, market_id, market_question, market_category,
                        polymarket_odds, rounds, current_round, next_turn, created_at, completed_at)
                    VALUES (:id, 'completed', :market, :question, :category, '{}', 2, 2, 6, :created, :completed)""");
            PreparedBatch modelRows = h.prepareBatch("INSERT INTO debate_models (debate_id, position, model_id, "
                    + "model_name, provider) VALUES (:id, :position, :model, :name, 'Provider')");
            PreparedBatch outcomeRows = h.prepareBatch("INSERT INTO debate_outcomes (debate_id, position, name, slug, "
                    + "price) VALUES (:id, :position, :name, :slug, :price)");
            PreparedBatch messageRows = h.prepareBatch("""
                    INSERT INTO messages (message_id, debate_id, round, sequence, turn_index, model_id, model_name,
                        message_type, text, timestamp)
                    VALUES (:message, :id, :round, :sequence, :sequence, :model, :name, :type, 'Argument.',
                        :created)""");
            PreparedBatch predictionRows = h.prepareBatch("INSERT INTO message_predictions (message_id, position, "
                    + "outcome_name, percentage) VALUES (:message, :position, :outcome, :percentage)");
            for (int d = 0; d < debates; d++) {
                String id = String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", d);
                int market = d % MARKETS;
                int outcomes = market % 4 == 0 ? 3 : 2;
                Instant created = FIRST_DAY.plusSeconds(random.nextInt(365 * 86_400));
                debateRows.bind("id", id).bind("market", "m" + market).bind("question", "Market " + market + "?")
                        .bind("category", "Cat-" + (market % CATEGORIES))
                        .bind("created", Timestamps.format(created))
                        .bind("completed", Timestamps.format(created.plusSeconds(180))).add();
                for (int k = 0; k < outcomes; k++) {
                    outcomeRows.bind("id", id).bind("position", k).bind("name", "Outcome " + k)
                            .bind("slug", "tok-" + market + "-" + k).bind("price", (5 + random.nextInt(90)) / 100.0)
                            .add();
                }
                List<Integer> models = new ArrayList<>();
                while (models.size() < MODELS_PER_DEBATE) {
                    int m = random.nextInt(MODELS);
                    if (!models.contains(m)) {
                        models.add(m);
                    }
                }
                for (int p = 0; p < models.size(); p++) {
                    modelRows.bind("id", id).bind("position", p).bind("model", "provider/model-" + models.get(p))
                            .bind("name", "Provider: Model " + models.get(p)).add();
                }
                int sequence = 0;
                for (int round = 1; round <= 2; round++) {
                    for (int m : models) {
                        sequence++;
                        if (random.nextInt(20) == 0) {
                            continue;
                        }
                        String message = String.format(Locale.ROOT, "%08d-0000-4000-8000-%012d", sequence, d);
                        messageRows.bind("message", message).bind("id", id).bind("round", round)
                                .bind("sequence", sequence).bind("model", "provider/model-" + m)
                                .bind("name", "Provider: Model " + m).bind("type", round == 1 ? "initial" : "final")
                                .bind("created", Timestamps.format(created.plusSeconds(sequence))).add();
                        int left = 100;
                        for (int k = 0; k < outcomes; k++) {
                            int value = k == outcomes - 1 ? left : random.nextInt(left + 1);
                            left -= value;
                            predictionRows.bind("message", message).bind("position", k)
                                    .bind("outcome", "Outcome " + k).bind("percentage", (double) value).add();
                        }
                    }
                }
                if (d % 2_000 == 1_999) {
                    flush(debateRows, modelRows, outcomeRows, messageRows, predictionRows);
                }
            }
            flush(debateRows, modelRows, outcomeRows, messageRows, predictionRows);
            PreparedBatch resolutions = h.prepareBatch("""
                    INSERT INTO market_resolutions (market_id, state, winner_name, winner_token, winner_count,
                        settled_at, closed_at, first_seen_at, checked_at, changed_at, next_check_at)
                    VALUES (:market, 'resolved', :winner, :token, 1, :now, :now, :now, :now, :now, :now)""");
            for (int market = 0; market < MARKETS; market++) {
                int winner = random.nextInt(market % 4 == 0 ? 3 : 2);
                resolutions.bind("market", "m" + market).bind("winner", "Outcome " + winner)
                        .bind("token", "tok-" + market + "-" + winner).bind("now", now).add();
            }
            resolutions.execute();
        });
    }

    /**
     * PostgreSQL plans from table statistics, which a live database keeps fresh (autovacuum) but a bulk load leaves
     * behind for a while; SQLite has none unless asked, and is left as a live server has it.
     */
    private static void analyze(TestServer server) {
        if (TestDatabases.onPostgres()) {
            server.jdbi().useHandle(h -> h.execute("ANALYZE"));
        }
    }

    private static void flush(PreparedBatch... batches) {
        for (PreparedBatch batch : batches) {
            if (batch.size() > 0) {
                batch.execute();
            }
        }
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
