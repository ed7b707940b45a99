package com.polydebate.markets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MarketMapperTest {
    private static JsonNode json(String text) {
        try {
            return GammaJson.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void volume_is_formatted_with_one_half_up_decimal_and_a_unit() {
        assertThat(GammaJson.formatVolume(new BigDecimal("1234567"))).isEqualTo("1.2M");
        assertThat(GammaJson.formatVolume(new BigDecimal("1050000"))).isEqualTo("1.1M");
        assertThat(GammaJson.formatVolume(new BigDecimal("850500"))).isEqualTo("850.5K");
        assertThat(GammaJson.formatVolume(new BigDecimal("1250"))).isEqualTo("1.3K");
        assertThat(GammaJson.formatVolume(new BigDecimal("1000"))).isEqualTo("1.0K");
        assertThat(GammaJson.formatVolume(new BigDecimal("999.9"))).isEqualTo("999");
        assertThat(GammaJson.formatVolume(new BigDecimal("0"))).isEqualTo("0");
        assertThat(GammaJson.formatVolume(json("{}").path("volume"))).isEqualTo("0");
        assertThat(GammaJson.formatVolume(json("{\"v\":\"2500000\"}").path("v"))).isEqualTo("2.5M");
    }

    @Test
    void shares_are_plain_decimals_never_exponents() {
        assertThat(GammaJson.plainDecimal(json("{\"v\":12500000.5}").path("v"))).isEqualTo("12500000.5");
        assertThat(GammaJson.plainDecimal(json("{\"v\":1.25E7}").path("v"))).isEqualTo("12500000");
        assertThat(GammaJson.plainDecimal(json("{\"v\":\"1.25E7\"}").path("v"))).isEqualTo("12500000");
        assertThat(GammaJson.plainDecimal(json("{\"v\":\"6107280.298009998\"}").path("v"))).isEqualTo("6107280.298009998");
        assertThat(GammaJson.plainDecimal(json("{}").path("v"))).isEqualTo("0");
        assertThat(GammaJson.plainDecimal(json("{\"v\":\"n/a\"}").path("v"))).isEqualTo("0");
    }

    @Test
    void list_fields_accept_json_strings_and_real_arrays_and_treat_bad_json_as_absent() {
        assertThat(GammaJson.list(json("{\"o\":\"[\\\"Yes\\\", \\\"No\\\"]\"}").path("o"))).hasSize(2);
        assertThat(GammaJson.list(json("{\"o\":[\"Up\",\"Down\"]}").path("o"))).hasSize(2);
        assertThat(GammaJson.list(json("{\"o\":\"[\\\"Yes\\\", \"}").path("o"))).isEmpty();
        assertThat(GammaJson.list(json("{}").path("o"))).isEmpty();
    }

    @Test
    void token_ids_stay_exact_strings_even_as_json_numbers() {
        String token = "28182404005967940652495463228537840901055649726248190462854914416579180110833";
        JsonNode event = json("{\"id\":1,\"markets\":[{\"outcomes\":[\"Yes\",\"No\"],\"outcomePrices\":[0.4,0.6],"
                + "\"clobTokenIds\":[" + token + ",\"2\"]}]}");

        Market market = MarketMapper.listItem(event);

        assertThat(market.id()).isEqualTo("1");
        assertThat(market.outcomes().get(0).slug()).isEqualTo(token);
        assertThat(market.outcomes().get(0).price()).isEqualTo(0.4);
    }

    @Test
    void binary_prices_fall_back_to_event_prices_then_one_half() {
        Market fromEvent = MarketMapper.listItem(json(
                "{\"id\":\"1\",\"outcomePrices\":[\"0.3\",\"0.7\"],\"markets\":[{\"outcomes\":\"[\\\"Up\\\",\\\"Down\\\"]\"}]}"));
        Market defaulted = MarketMapper.listItem(json(
                "{\"id\":\"1\",\"markets\":[{\"outcomes\":\"[\\\"Up\\\",\\\"Down\\\"]\"}]}"));

        assertThat(fromEvent.marketType()).isEqualTo("binary");
        assertThat(fromEvent.outcomes()).extracting(Outcome::name).containsExactly("Up", "Down");
        assertThat(fromEvent.outcomes()).extracting(Outcome::price).containsExactly(0.3, 0.7);
        assertThat(defaulted.outcomes()).extracting(Outcome::price).containsExactly(0.5, 0.5);
        assertThat(defaulted.outcomes()).extracting(Outcome::shares).containsExactly("0", "0");
        assertThat(defaulted.outcomes()).extracting(Outcome::slug).containsExactly("", "");
        assertThat(defaulted.outcomes().get(0).imageUrl()).isNull();
        assertThat(defaulted.priceChange24h()).isNull();
        assertThat(defaulted.question()).isEqualTo("");
        assertThat(defaulted.description()).isEqualTo("");
        assertThat(defaulted.imageUrl()).isEqualTo("");
        assertThat(defaulted.tagId()).isNull();
        assertThat(defaulted.category()).isEqualTo("Other");
        assertThat(defaulted.endDate()).isNull();
    }

    @Test
    void categorical_price_falls_back_to_numeric_price_fields_and_names_to_the_question() {
        Market market = MarketMapper.listItem(json("{\"id\":\"1\",\"markets\":["
                + "{\"groupItemTitle\":\" \",\"question\":\"Will A win?\",\"currentPrice\":0.2,\"priceChange24h\":0.0123},"
                + "{\"yesPrice\":0.7,\"oneDayPriceChange\":null,\"imageUrl\":\"https://img/b.png\"}]}"));

        assertThat(market.marketType()).isEqualTo("categorical");
        assertThat(market.outcomes()).extracting(Outcome::name).containsExactly("Will A win?", "");
        assertThat(market.outcomes()).extracting(Outcome::price).containsExactly(0.2, 0.7);
        assertThat(market.outcomes().get(0).priceChange24h()).isEqualTo(1.23);
        assertThat(market.outcomes().get(1).priceChange24h()).as("null is omitted").isNull();
        assertThat(market.outcomes().get(1).imageUrl()).isEqualTo("https://img/b.png");
        assertThat(market.priceChange24h()).as("top market has no change").isNull();
    }

    @Test
    void two_single_outcome_markets_are_categorical_not_binary() {
        Market market = MarketMapper.listItem(json("{\"id\":\"1\",\"markets\":["
                + "{\"outcomes\":[\"Yes\",\"No\"],\"outcomePrices\":[\"0.4\",\"0.6\"]},"
                + "{\"outcomes\":[\"Yes\",\"No\"],\"outcomePrices\":[\"0.6\",\"0.4\"]}]}"));

        assertThat(market.marketType()).isEqualTo("categorical");
        assertThat(market.outcomes()).hasSize(2);
    }

    @Test
    void category_checks_priority_keys_first_then_the_ordered_key_list() {
        assertThat(Categories.displayName(json("[{\"label\":\"Politics\",\"slug\":\"politics\"},"
                + "{\"label\":\"Breaking News\",\"slug\":\"breaking-news\"}]"))).isEqualTo("Breaking");
        assertThat(Categories.displayName(json("[{\"label\":\"Finance\",\"slug\":\"finance\"},"
                + "{\"label\":\"Crypto\",\"slug\":\"crypto\"}]"))).isEqualTo("Finance");
        assertThat(Categories.displayName(json("[{\"label\":\"Pop Culture\",\"slug\":\"pop-culture\"}]")))
                .isEqualTo("Culture");
        assertThat(Categories.displayName(json("[{\"label\":\"Elections\",\"slug\":\"global-elections\"}]")))
                .isEqualTo("Elections");
    }

    @Test
    void category_uses_the_loose_substring_rule() {
        assertThat(Categories.displayName(json("[{\"label\":\"Ukraine\",\"slug\":\"ukraine\"}]"))).isEqualTo("AI");
        assertThat(Categories.displayName(json("[{\"label\":\"Cryptocurrency\",\"slug\":\"x\"}]"))).isEqualTo("Crypto");
        assertThat(Categories.displayName(json("[\"world-cup\"]"))).isEqualTo("World");
    }

    @Test
    void unmatched_category_is_the_first_label_in_title_case() {
        assertThat(Categories.displayName(json("[{\"label\":\"u.s. congress\",\"slug\":\"uptspt-congress\"}]")))
                .isEqualTo("U.S. Congress");
        assertThat(Categories.displayName(json("[\"soccer\"]"))).isEqualTo("Soccer");
        assertThat(Categories.displayName(json("[{\"slug\":\"zzz\"}]"))).isEqualTo("Other");
        assertThat(Categories.displayName(json("[]"))).isEqualTo("Other");
        assertThat(Categories.displayName(json("{}").path("tags"))).isEqualTo("Other");
    }

    @Test
    void slug_map_is_case_insensitive_and_unknown_slugs_have_no_filter() {
        assertThat(Categories.tagSlug("TECH")).contains("tech");
        assertThat(Categories.tagSlug("technology")).contains("tech");
        assertThat(Categories.tagSlug("elections")).contains("global-elections");
        assertThat(Categories.tagSlug("culture")).contains("pop-culture");
        assertThat(Categories.tagSlug("activity")).contains("more");
        assertThat(Categories.tagSlug("mentions")).isEmpty();
        assertThat(Categories.tagSlug("more")).isEmpty();
    }

    @Test
    void sparkline_keeps_the_last_24_points_rounded_and_never_pads() {
        List<BigDecimal> thirty = IntStream.range(0, 30).mapToObj(i -> BigDecimal.valueOf(i).movePointLeft(2).add(new BigDecimal("0.0005"))).toList();

        List<Double> line = MarketMapper.sparkline(thirty).orElseThrow();

        assertThat(line).hasSize(24);
        assertThat(line.get(0)).as("point 6 of 30, 0.0605 half-up").isEqualTo(0.061);
        assertThat(line.get(23)).isEqualTo(0.291);
        assertThat(MarketMapper.sparkline(List.of(new BigDecimal("0.5")))).isEmpty();
        assertThat(MarketMapper.sparkline(List.of())).isEmpty();
    }
}
