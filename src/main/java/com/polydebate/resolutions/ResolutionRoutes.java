package com.polydebate.resolutions;

import com.polydebate.auth.Role;
import com.polydebate.http.JsonResponses;
import io.javalin.config.RoutesConfig;

/** The tracker's admin routes: where every followed market stands, and a poll now. */
final class ResolutionRoutes {
    private final ResolutionService service;

    ResolutionRoutes(ResolutionService service) {
        this.service = service;
    }

    record DataBody(boolean success, Object data) {
    }

    void register(RoutesConfig routes) {
        routes.get("/api/admin/resolutions", ctx -> JsonResponses.send(ctx, new DataBody(true, service.overview())),
                Role.ADMIN);
        routes.post("/api/admin/resolutions/refresh",
                ctx -> JsonResponses.send(ctx, new DataBody(true, service.refresh())),
                Role.ADMIN);
    }
}
