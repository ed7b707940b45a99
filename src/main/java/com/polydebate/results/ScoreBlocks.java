package com.polydebate.results;

import java.util.Map;
import java.util.Optional;

/** Where the results get a debate's score block from (the scores feature), once its market resolved. */
@FunctionalInterface
public interface ScoreBlocks {
    ScoreBlocks NONE = debateId -> Optional.empty();

    Optional<Map<String, Object>> scoreBlock(String debateId);
}
