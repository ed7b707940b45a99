package com.polydebate.profile;

import java.util.List;

/** The profile statistics of §16.1; both lists are empty rather than null when there is nothing to show. */
record Statistics(int totalDebates, int totalFavorites, List<ModelUsage> favoriteModels,
                  List<CategoryCount> favoriteCategories) {

    record ModelUsage(String modelId, String modelName, int usageCount) {
    }

    record CategoryCount(String category, int count) {
    }
}
