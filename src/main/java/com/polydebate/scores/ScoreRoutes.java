package com.polydebate.scores;

import com.polydebate.http.ApiException;
import com.polydebate.http.JsonResponses;
import com.polydebate.http.QueryParams;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The public score routes (issue 14 §4). Unlike the lenient list parameters of §1, the leaderboard's filters are
 * validated: a bad one is a 400 naming it, never a silently different leaderboard. Answers may be cached publicly
 * for a minute.
 */
final class ScoreRoutes {
    static final String CACHE_CONTROL = "public, max-age=60";
    static final int MAX_MIN_DEBATES = 1_000_000;
    private static final Pattern CATEGORY = Pattern.compile("[\\p{L}\\p{N} &'.-]{1,60}");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,9}");

    private final ScoreService scores;

    ScoreRoutes(ScoreService scores) {
        this.scores = scores;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/debate/{debate_id}/score",
                ctx -> JsonResponses.send(cached(ctx), scores.score(ctx.pathParam("debate_id"))));
        routes.get("/api/leaderboard", ctx -> JsonResponses.send(cached(ctx),
                LeaderboardJson.body(scores.leaderboard(query(ctx)),
                scores.seed())));
        routes.get("/api/leaderboard/calibration.svg", this::diagram);
        routes.get("/leaderboard", this::page);
    }

    private void diagram(Context ctx) {
        Leaderboard.Query query = query(ctx);
        Optional<String> model = QueryParams.text(ctx, "model");
        if (model.isPresent() && (model.get().length() > 200 || model.get().chars().anyMatch(c -> c < 0x20))) {
            throw ApiException.validation(Map.of("model", "must be a model id of at most 200 characters"));
        }
        List<Leaderboard.Row> rows = scores.leaderboard(query).rows();
        if (model.isPresent()) {
            rows = rows.stream().filter(r -> r.id().equals(model.get())).toList();
            if (rows.isEmpty()) {
                throw ApiException.notFound("model_not_found", "No scored forecaster with that id in this filter");
            }
        }
        cached(ctx).contentType(CalibrationSvg.CONTENT_TYPE).result(CalibrationSvg.render(rows));
    }

    private void page(Context ctx) {
        Leaderboard board = scores.leaderboard(query(ctx));
        cached(ctx).header("Content-Security-Policy", LeaderboardPage.POLICY)
                .contentType(LeaderboardPage.CONTENT_TYPE)
                .result(LeaderboardPage.render(board, CalibrationSvg.render(board.rows())));
    }

    private static Context cached(Context ctx) {
        return ctx.header("Cache-Control", CACHE_CONTROL);
    }

    /** category, since and min_debates, every problem reported at once. */
    static Leaderboard.Query query(Context ctx) {
        Map<String, String> problems = new LinkedHashMap<>();
        Optional<String> category = QueryParams.text(ctx, "category");
        if (category.isPresent() && !CATEGORY.matcher(category.get()).matches()) {
            problems.put("category", "must be a category name of at most 60 letters, digits or spaces");
        }
        Optional<LocalDate> since = Optional.empty();
        Optional<String> sinceText = QueryParams.text(ctx, "since");
        if (sinceText.isPresent()) {
            since = day(sinceText.get());
            if (since.isEmpty()) {
                problems.put("since", "must be a date written YYYY-MM-DD");
            }
        }
        int minDebates = 1;
        Optional<String> minText = QueryParams.text(ctx, "min_debates");
        if (minText.isPresent()) {
            if (!INTEGER.matcher(minText.get()).matches() || Integer.parseInt(minText.get()) < 1
                    || Integer.parseInt(minText.get()) > MAX_MIN_DEBATES) {
                problems.put("min_debates", "must be a whole number between 1 and " + MAX_MIN_DEBATES);
            } else {
                minDebates = Integer.parseInt(minText.get());
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return new Leaderboard.Query(category.map(c -> c.toLowerCase(Locale.ROOT)), since, minDebates);
    }

    private static Optional<LocalDate> day(String text) {
        if (!DAY.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
