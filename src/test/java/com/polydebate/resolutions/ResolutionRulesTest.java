package com.polydebate.resolutions;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.config.ConfigLoader;
import com.polydebate.http.Json;
import com.polydebate.markets.EventSettlement;
import com.polydebate.markets.MarketService;
import com.polydebate.resolutions.GammaEvents.Stage;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.upstream.UpstreamHttp;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How a Gamma event's settlement is read: real recorded events and each stage of one, served at the wire. */
class ResolutionRulesTest {
    private static FakeUpstream gamma;
    private static MarketService markets;

    @BeforeAll
    static void start() {
        gamma = new FakeUpstream();
        markets = new MarketService(ConfigLoader.load(Map.of("POLYMARKET_GAMMA_URL", gamma.baseUrl()),
                new SecureRandom()), new UpstreamHttp(UpstreamHttp.newClient(Duration.ofSeconds(5))),
                Json.newMapper(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        markets.close();
        gamma.close();
    }

    private static ResolutionRules.Verdict verdictOf(String id, String eventJson) {
        gamma.on("GET", "/events/" + id, call -> Reply.json(200, eventJson));
        return ResolutionRules.read(markets.settlement(id).orElseThrow());
    }

    @Test
    void the_recorded_resolved_world_cup_event_resolves_to_the_market_that_paid_yes() {
        ResolutionRules.Verdict verdict = verdictOf("694581", GammaEvents.categoricalResolved());

        assertThat(verdict.state()).isEqualTo(ResolutionState.RESOLVED);
        assertThat(verdict.winner()).contains(new ResolutionRules.Winner("Argentina", GammaEvents.ARGENTINA_TOKEN));
        assertThat(verdict.winnerCount()).isEqualTo(1);
        // The Argentina market: closedTime "2026-07-15 21:22:10+00", umaEndDate "2026-07-15T21:22:10Z".
        assertThat(verdict.closedAt()).contains(Instant.parse("2026-07-15T21:22:10Z"));
        assertThat(verdict.settledAt()).contains(Instant.parse("2026-07-15T21:22:10Z"));
        assertThat(verdict.raw()).contains("\"umaResolutionStatus\":\"resolved\"").contains("\"outcomePrices\"")
                .doesNotContain("\"volume\"");
    }

    @Test
    void recorded_events_still_trading_are_open_whatever_their_prices() {
        assertThat(verdictOf("481717", Fixtures.text("polymarket-gamma/event-categorical.json")).state())
                .isEqualTo(ResolutionState.OPEN);
        // Two of its four date markets resolved No; the later ones still trade.
        assertThat(verdictOf("16167", Fixtures.text("polymarket-gamma/event-by-id-multimarket.json")).state())
                .isEqualTo(ResolutionState.OPEN);
        assertThat(verdictOf("694581", GammaEvents.categoricalOpen()).state()).isEqualTo(ResolutionState.OPEN);
    }

    @Test
    void a_closed_market_without_a_uma_resolution_is_closing_even_at_a_near_certain_price() {
        // Event 2890 as recorded: closed in 2021, no umaResolutionStatus, prices 0.0000004 / 0.9999996.
        String recorded = Fixtures.text("polymarket-gamma/event-binary.json");
        ResolutionRules.Verdict verdict = verdictOf("2890", recorded.substring(1, recorded.length() - 1));

        assertThat(verdict.state()).isEqualTo(ResolutionState.CLOSING);
        assertThat(verdict.winner()).isEmpty();
    }

    @Test
    void each_stage_of_a_binary_settlement_is_read_from_the_status_fields_never_from_prices_alone() {
        String closed = "2026-11-29 18:00:00+00";
        assertThat(verdictOf("9001", GammaEvents.binary("9001", Stage.OPEN_NEAR_CERTAIN, closed)).state())
                .isEqualTo(ResolutionState.OPEN);
        assertThat(verdictOf("9001", GammaEvents.binary("9001", Stage.CLOSED, closed)).state())
                .isEqualTo(ResolutionState.CLOSING);
        assertThat(verdictOf("9001", GammaEvents.binary("9001", Stage.PROPOSED, closed)).state())
                .isEqualTo(ResolutionState.PROPOSED);
        assertThat(verdictOf("9001", GammaEvents.binary("9001", Stage.DISPUTED, closed)).state())
                .isEqualTo(ResolutionState.DISPUTED);

        ResolutionRules.Verdict no = verdictOf("9001", GammaEvents.binary("9001", Stage.RESOLVED_NO, closed));
        assertThat(no.state()).isEqualTo(ResolutionState.RESOLVED);
        assertThat(no.winner()).contains(new ResolutionRules.Winner("No", GammaEvents.NO_TOKEN));
        assertThat(no.closedAt()).contains(Instant.parse("2026-11-29T18:00:00Z"));

        ResolutionRules.Verdict voided = verdictOf("9001", GammaEvents.binary("9001", Stage.VOID, closed));
        assertThat(voided.state()).isEqualTo(ResolutionState.VOID);
        assertThat(voided.winner()).isEmpty();
    }

    @Test
    void uma_resolved_on_a_market_still_trading_or_with_unsettled_prices_is_not_a_resolution() {
        String resolvedButOpen = GammaEvents.binary("9002", Stage.RESOLVED_YES, "2026-11-29 18:00:00+00")
                .replace("\"closed\":true", "\"closed\":false");
        assertThat(verdictOf("9002", resolvedButOpen).state()).isEqualTo(ResolutionState.OPEN);

        String resolvedAtAPrice = GammaEvents.binary("9003", Stage.RESOLVED_YES, "2026-11-29 18:00:00+00")
                .replace("[\\\"1\\\", \\\"0\\\"]", "[\\\"0.9995\\\", \\\"0.0005\\\"]");
        assertThat(resolvedAtAPrice).contains("0.9995");
        assertThat(verdictOf("9003", resolvedAtAPrice).state()).isEqualTo(ResolutionState.CLOSING);
    }

    @Test
    void a_categorical_event_where_no_market_or_several_markets_paid_yes_has_no_single_winner() {
        ResolutionRules.Verdict none = verdictOf("694581", GammaEvents.categoricalSettled(List.of()));
        assertThat(none.state()).isEqualTo(ResolutionState.RESOLVED);
        assertThat(none.winner()).isEmpty();
        assertThat(none.winnerCount()).isZero();

        ResolutionRules.Verdict two = verdictOf("694581", GammaEvents.categoricalSettled(List.of("England",
                "Argentina")));
        assertThat(two.state()).isEqualTo(ResolutionState.RESOLVED);
        assertThat(two.winner()).isEmpty();
        assertThat(two.winnerCount()).isEqualTo(2);
    }

    @Test
    void gamma_settlement_fields_keep_prices_and_tokens_as_text() {
        gamma.on("GET", "/events/694581", call -> Reply.json(200, GammaEvents.categoricalResolved()));
        EventSettlement event = markets.settlement("694581").orElseThrow();

        assertThat(event.binary()).isFalse();
        assertThat(event.markets()).extracting(EventSettlement.GammaMarket::name)
                .containsExactly("England", "Draw (England vs. Argentina)", "Argentina");
        assertThat(event.markets().get(2).outcomePrices()).containsExactly("1", "0");
        assertThat(event.markets().get(2).tokenIds().get(0)).isEqualTo(GammaEvents.ARGENTINA_TOKEN);
        assertThat(event.markets().get(2).closed()).contains(true);
        assertThat(event.markets().get(2).umaResolutionStatus()).contains("resolved");
    }

    @Test
    void an_unknown_event_or_a_malformed_id_reads_as_absent() {
        assertThat(markets.settlement("123456789")).isEmpty();
        assertThat(markets.settlement("../events")).isEqualTo(Optional.empty());
    }

    @Test
    void gamma_times_are_read_in_both_of_their_forms() {
        assertThat(ResolutionRules.instant("2026-07-15 21:18:14+00")).contains(Instant.parse("2026-07-15T21:18:14Z"));
        assertThat(ResolutionRules.instant("2026-07-15T21:18:14Z")).contains(Instant.parse("2026-07-15T21:18:14Z"));
        assertThat(ResolutionRules.instant("2026-07-12T10:03:27.210253Z"))
                .contains(Instant.parse("2026-07-12T10:03:27.210253Z"));
        assertThat(ResolutionRules.instant("yesterday")).isEmpty();
    }
}
