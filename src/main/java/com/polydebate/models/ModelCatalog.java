package com.polydebate.models;

import java.util.List;

/** The allowed, priced OpenRouter catalogue (§8.2) for other features such as debate start. */
public interface ModelCatalog {
    /**
     * The filtered catalogue in upstream order, from the cache when fresh.
     *
     * @throws com.polydebate.http.ApiException 503 {@code external_api_error} when OpenRouter fails and
     *     nothing is cached
     */
    List<AiModel> models();
}
