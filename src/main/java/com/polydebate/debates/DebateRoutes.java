package com.polydebate.debates;

import com.polydebate.auth.AccessControl;
import com.polydebate.auth.Role;
import com.polydebate.config.Config;
import com.polydebate.http.Bodies;
import com.polydebate.http.JsonResponses;
import io.javalin.config.RoutesConfig;

/** Thin HTTP layer of the debate feature: parse, call the service, write the answer. */
final class DebateRoutes {
    private final Config config;
    private final DebateService service;
    private final EventStream stream;
    private final AudioFiles audio;
    private final Bodies bodies;

    DebateRoutes(Config config, DebateService service, EventStream stream, AudioFiles audio, Bodies bodies) {
        this.config = config;
        this.service = service;
        this.stream = stream;
        this.audio = audio;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/debate/start", ctx -> {
            var user = AccessControl.user(ctx);
            var request = StartRequest.from(bodies.object(ctx), config);
            JsonResponses.send(ctx.status(201), service.start(user, request));
        }, Role.REQUIRED);
        routes.post("/api/debate/{debate_id}/pause",
                ctx -> JsonResponses.send(ctx, service.pause(AccessControl.user(ctx), ctx.pathParam("debate_id"))),
                Role.OWNER);
        routes.post("/api/debate/{debate_id}/resume",
                ctx -> JsonResponses.send(ctx, service.resume(AccessControl.user(ctx), ctx.pathParam("debate_id"))),
                Role.OWNER);
        routes.post("/api/debate/{debate_id}/stop",
                ctx -> JsonResponses.send(ctx, service.stop(AccessControl.user(ctx), ctx.pathParam("debate_id"))),
                Role.OWNER);
        routes.delete("/api/debates/{debate_id}",
                ctx -> JsonResponses.send(ctx, service.delete(AccessControl.user(ctx), ctx.pathParam("debate_id"))),
                Role.OWNER);
        routes.get("/api/debate/{debate_id}/stream", stream::handle);
        routes.get("/api/audio/{filename}", audio::handle);
    }
}
