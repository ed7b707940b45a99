package com.polydebate.results;

import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.auth.UserDao;
import com.polydebate.config.Config;
import com.polydebate.config.ConfigLoader;
import com.polydebate.db.Database;
import com.polydebate.support.TestDebates;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read port of the debate tables against a real SQLite file. */
class DebateCatalogTest {
    @TempDir
    Path storage;
    private Database database;
    private DebateCatalog catalog;
    private long ana;
    private long bob;

    @BeforeEach
    void open() {
        Config config = ConfigLoader.load(Map.of("STORAGE_DIR", storage.toString(), "APP_ENV", "development",
                "JWT_SECRET_KEY", "test-secret-key-that-is-long-enough-1234567890"), new SecureRandom());
        database = Database.open(config.databaseUrl());
        catalog = new DebateCatalog(database.jdbi());
        UserDao users = database.jdbi().onDemand(UserDao.class);
        ana = users.insert("ana@example.com", "Ana", "2026-11-01T00:00:00.000Z", null, false);
        bob = users.insert("bob@example.com", "Bob", "2026-11-01T00:00:00.000Z", null, false);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private TestDebates debateOf(long userId) {
        return TestDebates.debate(database.jdbi(), userId);
    }

    private static DebateCatalog.HistoryFilter all(int limit, int offset) {
        return new DebateCatalog.HistoryFilter(List.of(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                limit, offset);
    }

    private static List<String> ids(DebateCatalog.HistoryPage page) {
        return page.debates().stream().map(DebateCatalog.DebateItem::debateId).toList();
    }

    @Test
    void counts_and_market_lookups_ignore_soft_deleted_debates() {
        String kept = debateOf(ana).market("16167", "Q?", "Crypto").insert();
        String deleted = debateOf(ana).market("777", "Gone?", "Crypto").deleted().insert();
        debateOf(bob).insert();
        debateOf(bob).insert();
        TestDebates.debate(database.jdbi(), null).insert();

        assertThat(catalog.countOf(ana)).isEqualTo(1);
        assertThat(catalog.countOf(bob)).isEqualTo(2);
        assertThat(catalog.countsByUser()).containsExactlyInAnyOrderEntriesOf(Map.of(ana, 1, bob, 2));
        assertThat(catalog.marketOf(kept)).contains("16167");
        assertThat(catalog.marketOf(deleted)).isEmpty();
        assertThat(catalog.marketOf("9b2f7c7e-1111-4222-8333-444455556666")).isEmpty();
    }

    @Test
    void history_is_the_users_own_visible_debates_newest_first_with_the_total_of_all_pages() {
        String oldest = debateOf(ana).createdAt("2026-11-20T10:00:00Z").insert();
        String middle = debateOf(ana).createdAt("2026-11-21T10:00:00Z").insert();
        String newest = debateOf(ana).createdAt("2026-11-22T10:00:00Z").insert();
        debateOf(ana).createdAt("2026-11-23T10:00:00Z").deleted().insert();
        debateOf(bob).createdAt("2026-11-24T10:00:00Z").insert();

        DebateCatalog.HistoryPage first = catalog.history(ana, all(2, 0));
        DebateCatalog.HistoryPage second = catalog.history(ana, all(2, 2));

        assertThat(ids(first)).containsExactly(newest, middle);
        assertThat(ids(second)).containsExactly(oldest);
        assertThat(first.total()).isEqualTo(3);
        assertThat(second.total()).isEqualTo(3);
    }

    @Test
    void history_filters_by_lower_case_category_status_and_half_open_creation_range() {
        String crypto = debateOf(ana).market("1", "A?", "Crypto").status("completed")
                .createdAt("2026-11-20T10:00:00Z").insert();
        String tech = debateOf(ana).market("2", "B?", "Technology").status("stopped")
                .createdAt("2026-11-21T10:00:00Z").insert();
        String uncategorised = debateOf(ana).market("3", "C?", null).status("completed")
                .createdAt("2026-11-22T10:00:00Z").insert();

        DebateCatalog.HistoryPage categories = catalog.history(ana, new DebateCatalog.HistoryFilter(
                List.of("crypto", "technology"), Optional.empty(), Optional.empty(), Optional.empty(), false, 10, 0));
        DebateCatalog.HistoryPage completed = catalog.history(ana, new DebateCatalog.HistoryFilter(
                List.of(), Optional.of("completed"), Optional.empty(), Optional.empty(), false, 10, 0));
        DebateCatalog.HistoryPage range = catalog.history(ana, new DebateCatalog.HistoryFilter(
                List.of(), Optional.empty(), Optional.of(Instant.parse("2026-11-21T10:00:00Z")),
                Optional.of(Instant.parse("2026-11-22T10:00:00Z")), false, 10, 0));

        assertThat(ids(categories)).containsExactly(tech, crypto);
        assertThat(categories.total()).isEqualTo(2);
        assertThat(ids(completed)).containsExactly(uncategorised, crypto);
        assertThat(ids(range)).containsExactly(tech);
    }

    @Test
    void history_by_rounds_puts_the_longest_debates_first_then_the_newest() {
        String short1 = debateOf(ana).rounds(1).createdAt("2026-11-22T10:00:00Z").insert();
        String long1 = debateOf(ana).rounds(3).createdAt("2026-11-20T10:00:00Z").insert();
        String long2 = debateOf(ana).rounds(3).createdAt("2026-11-21T10:00:00Z").insert();

        DebateCatalog.HistoryPage page = catalog.history(ana, new DebateCatalog.HistoryFilter(List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), true, 10, 0));

        assertThat(ids(page)).containsExactly(long2, long1, short1);
    }

    @Test
    void a_history_item_carries_the_model_count_tokens_and_timestamps() {
        String id = debateOf(ana).market("16167", "Will it?", "Crypto").model("a/one", "One", "A")
                .model("b/two", "Two", "B").status("in_progress").rounds(2).currentRound(1).tokens(1234)
                .createdAt("2026-11-20T10:00:00Z").completedAt(null).insert();

        DebateCatalog.DebateItem item = catalog.history(ana, all(10, 0)).debates().get(0);

        assertThat(item).isEqualTo(new DebateCatalog.DebateItem(id, "16167", "Will it?", "Crypto", "in_progress", 2,
                2, 1234, Instant.parse("2026-11-20T10:00:00Z"), null));
    }

    @Test
    void statistics_rank_the_three_most_used_models_and_categories_of_visible_debates() {
        debateOf(ana).market("1", "A?", "Crypto").model("a/one", "One", "A").model("b/two", "Two", "B").insert();
        debateOf(ana).market("2", "B?", "Crypto").model("b/two", "Two", "B").insert();
        debateOf(ana).market("3", "C?", "Sports").model("c/three", "Three", "C").insert();
        debateOf(ana).market("4", "D?", "Politics").model("d/four", "Four", "D").insert();
        debateOf(ana).market("5", "E?", "Science").model("b/two", "Two", "B").deleted().insert();
        debateOf(bob).market("6", "F?", "Science").model("e/five", "Five", "E").insert();

        DebateCatalog.UserStatistics statistics = catalog.statistics(ana);

        assertThat(statistics.totalDebates()).isEqualTo(4);
        assertThat(statistics.favoriteModels()).containsExactly(new DebateCatalog.ModelUsage("b/two", "Two", 2),
                new DebateCatalog.ModelUsage("a/one", "One", 1), new DebateCatalog.ModelUsage("c/three", "Three", 1));
        assertThat(statistics.favoriteCategories()).containsExactly(new DebateCatalog.CategoryCount("Crypto", 2),
                new DebateCatalog.CategoryCount("Politics", 1), new DebateCatalog.CategoryCount("Sports", 1));
    }

    @Test
    void visible_answers_the_known_debates_that_are_not_deleted() {
        String kept = debateOf(bob).insert();
        String deleted = debateOf(bob).deleted().insert();

        Map<String, DebateCatalog.DebateItem> visible = catalog.visible(
                List.of(kept, deleted, "9b2f7c7e-1111-4222-8333-444455556666"));

        assertThat(visible).containsOnlyKeys(kept);
        assertThat(catalog.visible(List.of())).isEmpty();
    }

    @Test
    void the_admin_overview_includes_deleted_debates_and_every_message() {
        String old = debateOf(ana).createdAt("2026-11-20T10:00:00Z").model("a/one", "One", "A")
                .message(1, "a/one", "x.", predictions("Yes", 60.0, "No", 40.0)).insert();
        String recentDeleted = debateOf(bob).market("9", "Gone?", "Crypto").status("stopped").deleted()
                .createdAt("2026-11-28T09:00:00Z").insert();
        String anonymous = TestDebates.debate(database.jdbi(), null).createdAt("2026-11-27T09:00:00Z").insert();

        List<DebateCatalog.RecentDebate> newest = catalog.newest(2);
        DebateCatalog.Totals totals = catalog.totals(Instant.parse("2026-11-27T09:00:00Z"));

        assertThat(newest).containsExactly(
                new DebateCatalog.RecentDebate(recentDeleted, "9", "Gone?", bob, "stopped", true,
                        Instant.parse("2026-11-28T09:00:00Z"), 0, null),
                new DebateCatalog.RecentDebate(anonymous, "16167", "Will Bitcoin reach $100k in 2025?", null,
                        "completed", false, Instant.parse("2026-11-27T09:00:00Z"), 0, null));
        assertThat(catalog.newest(10)).extracting(DebateCatalog.RecentDebate::debateId).endsWith(old);
        assertThat(totals).isEqualTo(new DebateCatalog.Totals(3, 1, 2));
    }
}
