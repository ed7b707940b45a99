package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The persisted claim lease against the database of this run (SQLite, and PostgreSQL in its run). */
class SummaryStoreTest {
    private static final String T0 = "2026-11-28T12:00:00.000Z";
    private static final String T0_PLUS_LEASE = "2026-11-28T12:00:15.000Z";
    private static final String T1 = "2026-11-28T12:00:10.000Z";
    private static final String T2 = "2026-11-28T12:00:20.000Z";
    private static final String T2_PLUS_LEASE = "2026-11-28T12:00:35.000Z";
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
    void a_claim_is_refused_to_others_while_its_lease_lives_and_taken_over_once_it_has_expired() {
        String id = debate();

        assertThat(store.claim(id, "instance-a", "claim-a", T0, T0_PLUS_LEASE)).isTrue();
        assertThat(store.claim(id, "instance-b", "claim-b", T1, "2026-11-28T12:00:25.000Z")).isFalse();
        assertThat(store.claim(id, "instance-b", "claim-b", T0_PLUS_LEASE, "2026-11-28T12:00:30.000Z"))
                .as("a lease is alive up to its expiry instant").isFalse();
        SummaryStore.State held = store.state(id).orElseThrow();
        assertThat(held.status()).isEqualTo("generating");
        assertThat(held.owner()).isEqualTo("instance-a");
        assertThat(held.claimedAt(Instant.parse(T1))).isTrue();
        assertThat(held.claimedAt(Instant.parse(T2))).isFalse();

        assertThat(store.claim(id, "instance-b", "claim-b", T2, T2_PLUS_LEASE)).isTrue();

        SummaryStore.State taken = store.state(id).orElseThrow();
        assertThat(taken.owner()).isEqualTo("instance-b");
        assertThat(taken.leaseExpiresAt()).isEqualTo(Instant.parse(T2_PLUS_LEASE));
    }

    @Test
    void a_renewed_lease_is_not_taken_over_and_only_the_current_claim_renews() {
        String id = debate();
        store.claim(id, "instance-a", "claim-a", T0, T0_PLUS_LEASE);

        assertThat(store.renew(id, "claim-a", T2_PLUS_LEASE)).isTrue();

        assertThat(store.claim(id, "instance-b", "claim-b", T2, "2026-11-28T12:00:40.000Z")).isFalse();
        assertThat(store.renew(id, "claim-b", "2026-11-28T12:00:40.000Z")).isFalse();
        assertThat(store.state(id).orElseThrow().leaseExpiresAt()).isEqualTo(Instant.parse(T2_PLUS_LEASE));
    }

    @Test
    void only_the_current_claim_may_store_and_a_stored_summary_is_never_claimed_again() {
        String id = debate();
        store.claim(id, "instance-a", "claim-a", T0, T0_PLUS_LEASE);
        store.claim(id, "instance-b", "claim-b", T2, T2_PLUS_LEASE);

        assertThat(store.complete(id, "claim-a", "{\"overall\":\"old\"}")).isFalse();
        assertThat(store.renew(id, "claim-a", "2026-11-28T12:01:00.000Z")).isFalse();
        assertThat(store.complete(id, "claim-b", "{\"overall\":\"new\"}")).isTrue();

        SummaryStore.State state = store.state(id).orElseThrow();
        assertThat(state.status()).isEqualTo("ready");
        assertThat(state.summary()).isEqualTo("{\"overall\":\"new\"}");
        assertThat(state.isReady()).isTrue();
        assertThat(state.owner()).isNull();
        assertThat(state.leaseExpiresAt()).isNull();
        assertThat(store.claim(id, "instance-c", "claim-c", "2026-11-29T00:00:00.000Z", "2026-11-29T00:00:15.000Z"))
                .isFalse();
        assertThat(store.complete(id, "claim-b", "{\"overall\":\"again\"}")).isFalse();
    }

    @Test
    void a_released_claim_can_be_taken_at_once_but_only_its_holder_releases_it() {
        String id = debate();
        store.claim(id, "instance-a", "claim-a", T0, T0_PLUS_LEASE);

        store.release(id, "claim-b");
        assertThat(store.state(id).orElseThrow().status()).isEqualTo("generating");
        store.release(id, "claim-a");

        assertThat(store.state(id).orElseThrow().status()).isEqualTo("none");
        assertThat(store.claim(id, "instance-b", "claim-b", T1, T2)).isTrue();
    }
}
