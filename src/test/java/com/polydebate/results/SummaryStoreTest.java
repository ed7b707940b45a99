package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The persisted claim against the real SQLite file. */
class SummaryStoreTest {
    private static final String T0 = "2026-11-28T12:00:00.000Z";
    private static final String T1 = "2026-11-28T12:00:30.000Z";
    private static final String T2 = "2026-11-28T12:05:00.000Z";
    private static TestServer server;
    private static SummaryStore store;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        store = server.jdbi().onDemand(SummaryStore.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String debate() {
        return TestDebates.debate(server.jdbi(), null).insert();
    }

    @Test
    void only_one_claim_wins_until_it_goes_stale() {
        String id = debate();

        assertThat(store.claim(id, T0, "2026-11-28T11:59:00.000Z")).isTrue();
        assertThat(store.claim(id, T1, "2026-11-28T11:59:30.000Z")).isFalse();
        assertThat(store.state(id).orElseThrow().status()).isEqualTo("generating");
        assertThat(store.claim(id, T2, "2026-11-28T12:04:00.000Z")).isTrue();
        assertThat(store.state(id).orElseThrow().claimedAt()).isEqualTo(T2);
    }

    @Test
    void only_the_current_claim_may_store_and_a_stored_summary_is_never_claimed_again() {
        String id = debate();
        store.claim(id, T0, "2026-11-28T11:59:00.000Z");
        store.claim(id, T2, "2026-11-28T12:04:00.000Z");

        assertThat(store.complete(id, T0, "{\"overall\":\"old\"}")).isFalse();
        assertThat(store.complete(id, T2, "{\"overall\":\"new\"}")).isTrue();

        SummaryStore.State state = store.state(id).orElseThrow();
        assertThat(state.status()).isEqualTo("ready");
        assertThat(state.summary()).isEqualTo("{\"overall\":\"new\"}");
        assertThat(state.isReady()).isTrue();
        assertThat(store.claim(id, "2026-11-29T00:00:00.000Z", "2026-11-29T00:00:00.000Z")).isFalse();
    }

    @Test
    void a_released_claim_can_be_taken_at_once() {
        String id = debate();
        store.claim(id, T0, "2026-11-28T11:59:00.000Z");

        store.release(id, T0);

        assertThat(store.state(id).orElseThrow().status()).isEqualTo("none");
        assertThat(store.claim(id, T1, "2026-11-28T11:59:30.000Z")).isTrue();
    }
}
