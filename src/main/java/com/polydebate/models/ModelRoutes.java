package com.polydebate.models;

import com.polydebate.http.JsonResponses;
import io.javalin.config.RoutesConfig;
import java.util.List;

/** {@code GET /api/models} (§8.1). */
public final class ModelRoutes {
    private record ModelsResponse(List<AiModel> models, int totalCount, long freeCount, long paidCount) {
    }

    private final ModelCatalog models;

    public ModelRoutes(ModelCatalog models) {
        this.models = models;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/models", ctx -> {
            List<AiModel> all = models.models();
            long free = all.stream().filter(AiModel::isFree).count();
            JsonResponses.send(ctx, new ModelsResponse(all, all.size(), free, all.size() - free));
        });
    }
}
