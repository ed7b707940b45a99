package com.polydebate.profile;

import com.polydebate.auth.User;
import com.polydebate.auth.UserDao;
import com.polydebate.auth.UserView;
import com.polydebate.db.Timestamps;
import com.polydebate.http.ApiException;
import com.polydebate.markets.Market;
import com.polydebate.markets.MarketCatalog;
import com.polydebate.results.DebateCatalog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Profile rules of §16: statistics, the profile update, avatars and the debate history. */
final class ProfileService {
    private static final Logger log = LoggerFactory.getLogger(ProfileService.class);
    static final int MAX_NAME_LENGTH = 255;
    /** Bounds the whole top-debates answer when the market source hangs; its own timeouts normally fire first. */
    private static final long MARKET_LOOKUP_WAIT_SECONDS = 20;

    /** An uploaded avatar file: its submitted file name and its bytes. */
    record AvatarUpload(String fileName, byte[] bytes) {
    }

    /** Market question and category for a synthetic saved item. */
    private record MarketLabel(String question, String category) {
    }

    /** A favorite with, for a debate favorite, the debate it points at. */
    private record FavoriteRow(String marketId, Instant favoritedAt, Optional<UserDebate> debate) {
    }

    private final UserDao users;
    private final ProfileDao dao;
    private final DebateCatalog debates;
    private final AvatarStore avatars;
    private final MarketCatalog markets;
    private final Executor lookups;
    private final Clock clock;

    ProfileService(Jdbi jdbi, AvatarStore avatars, MarketCatalog markets, Executor lookups, Clock clock) {
        this.users = jdbi.onDemand(UserDao.class);
        this.dao = jdbi.onDemand(ProfileDao.class);
        this.debates = new DebateCatalog(jdbi);
        this.avatars = avatars;
        this.markets = markets;
        this.lookups = lookups;
        this.clock = clock;
    }

    UserView view(long userId) {
        User user = users.findById(userId).orElseThrow(() -> ApiException.notFound("not_found", "User not found"));
        return UserView.of(user, debates.countOf(userId));
    }

    Statistics statistics(long userId) {
        DebateCatalog.UserStatistics own = debates.statistics(userId);
        return new Statistics(own.totalDebates(), dao.favoriteCount(userId),
                own.favoriteModels().stream()
                        .map(m -> new Statistics.ModelUsage(m.modelId(), m.modelName(), m.usageCount())).toList(),
                own.favoriteCategories().stream()
                        .map(c -> new Statistics.CategoryCount(c.category(), c.debateCount())).toList());
    }

    /**
     * Applies a name and/or an avatar. Everything present is validated first, so an invalid field leaves
     * the profile untouched; the previous avatar file is removed once the new URL is stored.
     */
    UserView update(long userId, Optional<String> rawName, Optional<AvatarUpload> upload) {
        Optional<String> name = rawName.map(ProfileService::validName);
        Optional<AvatarImages.Avatar> avatar = upload.map(ProfileService::validAvatar);
        if (name.isPresent() || avatar.isPresent()) {
            Optional<String> file = avatar.map(a -> avatars.save(userId, clock.instant(), a));
            Optional<String> previous;
            try {
                previous = users.updateProfile(userId, name.orElse(null),
                        file.map(f -> AvatarStore.URL_PREFIX + f).orElse(null));
            } catch (RuntimeException e) {
                file.ifPresent(avatars::delete);
                throw e;
            }
            if (file.isPresent()) {
                previous.flatMap(AvatarStore::fileNameOf)
                        .filter(old -> !old.equals(file.get()))
                        .ifPresent(this::deleteOldAvatar);
            }
        }
        return view(userId);
    }

    ProfileDao.HistoryPage history(long userId, HistoryQuery query) {
        DebateCatalog.HistoryPage page = debates.history(userId, new DebateCatalog.HistoryFilter(query.categories(),
                query.status(), query.createdFrom().map(Timestamps::parse),
                query.createdBefore().map(Timestamps::parse), query.sort() == HistoryQuery.Sort.ROUNDS,
                query.limit(), query.offset()));
        Set<String> favorited = dao.favorited(userId,
                page.debates().stream().map(DebateCatalog.DebateItem::debateId).toList());
        return new ProfileDao.HistoryPage(page.debates().stream()
                .map(d -> UserDebate.of(d, favorited.contains(d.debateId()))).toList(), page.total());
    }

    List<UserDebate> recent(long userId, int limit) {
        return history(userId, HistoryQuery.newest(limit)).debates();
    }

    /**
     * The newest favorites as history items: debate favorites as their debates, market favorites as
     * synthetic saved items labelled from the market catalogue (looked up in parallel, with a plain
     * fallback label when a lookup fails), newest first.
     */
    List<UserDebate> favorites(long userId, int limit) {
        List<FavoriteRow> rows = newestFavorites(userId, limit);
        Map<String, CompletableFuture<Optional<MarketLabel>>> labels = new LinkedHashMap<>();
        for (FavoriteRow row : rows) {
            if (row.debate().isEmpty()) {
                labels.computeIfAbsent(row.marketId(), id -> CompletableFuture.supplyAsync(() -> label(id), lookups));
            }
        }
        return rows.stream()
                .map(row -> row.debate().orElseGet(() -> {
                    Optional<MarketLabel> label = await(row.marketId(), labels.get(row.marketId()));
                    return UserDebate.saved(row.marketId(),
                            label.map(MarketLabel::question).orElse("Market #" + row.marketId()),
                            label.map(MarketLabel::category).orElse(null),
                            row.favoritedAt());
                }))
                .sorted(Comparator.comparing(UserDebate::createdAt).reversed())
                .limit(limit)
                .toList();
    }

    /** The newest favorites, skipping debate favorites whose debate is gone or deleted. */
    private List<FavoriteRow> newestFavorites(long userId, int limit) {
        List<FavoriteRow> rows = new ArrayList<>();
        for (int offset = 0; rows.size() < limit; offset += limit) {
            List<ProfileDao.SavedFavorite> page = dao.newestFavorites(userId, limit, offset);
            Map<String, DebateCatalog.DebateItem> visible = debates.visible(
                    page.stream().map(ProfileDao.SavedFavorite::debateId).filter(Objects::nonNull).toList());
            for (ProfileDao.SavedFavorite favorite : page) {
                if (favorite.debateId() == null) {
                    rows.add(new FavoriteRow(favorite.marketId(), favorite.createdAt(), Optional.empty()));
                } else if (visible.containsKey(favorite.debateId())) {
                    rows.add(new FavoriteRow(favorite.marketId(), favorite.createdAt(),
                            Optional.of(UserDebate.of(visible.get(favorite.debateId()), true))));
                }
            }
            if (page.size() < limit) {
                break;
            }
        }
        return rows.subList(0, Math.min(limit, rows.size()));
    }

    private Optional<MarketLabel> label(String marketId) {
        try {
            Market market = markets.detail(marketId);
            return Optional.of(new MarketLabel(market.question(), market.category()));
        } catch (RuntimeException e) {
            log.warn("Market {} could not be looked up for a saved item: {}", marketId, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<MarketLabel> await(String marketId, CompletableFuture<Optional<MarketLabel>> future) {
        try {
            return future.get(MARKET_LOOKUP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Market {} lookup did not finish: {}", marketId, e.toString());
            return Optional.empty();
        }
    }

    private void deleteOldAvatar(String file) {
        try {
            avatars.delete(file);
        } catch (RuntimeException e) {
            log.warn("The previous avatar {} could not be deleted: {}", file, e.getMessage());
        }
    }

    static String validName(String raw) {
        String name = raw.strip();
        int length = name.codePointCount(0, name.length());
        if (length == 0) {
            throw new ApiException(400, "invalid_name", "Name is required");
        }
        if (length < 2) {
            throw new ApiException(400, "invalid_name", "Name needs at least 2 characters");
        }
        if (length > MAX_NAME_LENGTH) {
            throw new ApiException(400, "invalid_name", "Name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    private static AvatarImages.Avatar validAvatar(AvatarUpload upload) {
        return AvatarImages.process(upload.fileName(), upload.bytes()).orElseThrow(ProfileService::uploadFailed);
    }

    static ApiException uploadFailed() {
        return new ApiException(400, "upload_failed", "The avatar must be a JPG, PNG or GIF image of at most 5 MB");
    }
}
