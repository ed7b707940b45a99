package com.polydebate.results;

import com.polydebate.auth.AccessControl;
import com.polydebate.auth.Role;
import com.polydebate.http.ApiException;
import com.polydebate.http.JsonResponses;
import com.polydebate.http.QueryParams;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The read routes of debates (§6.4, §9.2, §9.3, §9.8, §9.9, §13.2). Thin: parse, validate, call the service. */
public final class ResultsRoutes {
    private final ResultsService results;

    public ResultsRoutes(ResultsService results) {
        this.results = results;
    }

    public void register(RoutesConfig routes) {
        // The literal route first, so that it is never taken for a debate id.
        routes.get("/api/debate/audio/status", ctx -> JsonResponses.send(ctx, results.audioStatus()));
        routes.get("/api/debate/{debate_id}", ctx -> JsonResponses.send(ctx,
                results.document(ctx.pathParam("debate_id"))));
        routes.get("/api/debate/{debate_id}/results",
                ctx -> JsonResponses.send(ctx, results.results(ctx.pathParam("debate_id"))));
        routes.get("/api/debate/{debate_id}/transcript", this::transcript);
        routes.get("/api/debate/{debate_id}/trace", ctx -> JsonResponses.send(ctx, results.trace(
                AccessControl.user(ctx),
                ctx.pathParam("debate_id"), QueryParams.clampedInt(ctx, "limit", 20, 1, 100), offset(ctx))),
                Role.OWNER);
        routes.get("/api/debates", ctx -> JsonResponses.send(ctx, results.list(status(ctx),
                QueryParams.text(ctx, "market_id"),
                QueryParams.clampedInt(ctx, "limit", 20, 1, 100), offset(ctx))));
        routes.get("/api/markets/{market_id}/debates", ctx -> JsonResponses.send(ctx, results.marketDebates(
                ctx.pathParam("market_id"), status(ctx), QueryParams.clampedInt(ctx, "limit", 100, 1, 100),
                offset(ctx))));
    }

    private void transcript(Context ctx) {
        String format = QueryParams.text(ctx, "format").orElse("json").toLowerCase(Locale.ROOT);
        boolean includeAudio = QueryParams.bool(ctx, "include_audio");
        String debateId = ctx.pathParam("debate_id");
        switch (format) {
            case "json" -> JsonResponses.send(ctx, results.transcriptJson(debateId, includeAudio));
            case "txt" -> {
                String text = results.transcriptText(debateId, includeAudio);
                ctx.header("Content-Disposition", "attachment; filename=\"debate-" + debateId + ".txt\"");
                ctx.contentType("text/plain; charset=utf-8").result(text);
            }
            default -> throw ApiException.validation(Map.of("format", "must be json or txt"));
        }
    }

    /** {@code all} (the default) means no filter; anything else must be a debate status. */
    private static Optional<String> status(Context ctx) {
        Optional<String> status = QueryParams.text(ctx, "status").map(s -> s.toLowerCase(Locale.ROOT));
        if (status.isEmpty() || status.get().equals("all")) {
            return Optional.empty();
        }
        if (!ResultsService.STATUSES.contains(status.get())) {
            throw ApiException.validation(Map.of("status",
                    "must be all, initialized, in_progress, paused, completed, stopped or failed"));
        }
        return status;
    }

    private static int offset(Context ctx) {
        return QueryParams.clampedInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    }
}
