package com.polydebate.admin;

import com.polydebate.auth.RateLimitStore;
import com.polydebate.auth.TokenService;
import com.polydebate.config.Config;
import com.polydebate.db.Database;
import com.polydebate.db.StorageHealth;
import com.polydebate.http.Bodies;
import io.javalin.config.RoutesConfig;
import java.time.Clock;

/** The admin pages wired together: password login, user deactivation and the read-only overviews. */
public final class AdminFeature {
    private final AdminRoutes routes;

    public AdminFeature(Config config, Database database, StorageHealth storage, TokenService tokens,
                        RateLimitStore limits, Bodies bodies, Clock clock) {
        this.routes = new AdminRoutes(new AdminService(config, database, storage, tokens, limits, clock), bodies);
    }

    public void register(RoutesConfig routesConfig) {
        routes.register(routesConfig);
    }
}
