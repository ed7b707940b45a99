package com.polydebate.favorites;

import com.polydebate.http.Bodies;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** The favorites endpoints wired to their rules. */
public final class FavoriteFeature {
    private final FavoriteRoutes routes;

    public FavoriteFeature(Jdbi jdbi, Bodies bodies, Clock clock) {
        this.routes = new FavoriteRoutes(new FavoriteService(jdbi, clock), bodies);
    }

    public void register(RoutesConfig routesConfig) {
        routes.register(routesConfig);
    }
}
