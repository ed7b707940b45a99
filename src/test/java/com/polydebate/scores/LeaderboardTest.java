package com.polydebate.scores;

import static com.polydebate.resolutions.MutableGamma.admin;
import static com.polydebate.resolutions.MutableGamma.refresh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.resolutions.GammaEvents;
import com.polydebate.resolutions.GammaEvents.Stage;
import com.polydebate.resolutions.MutableGamma;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The leaderboard over 30 synthetic resolved debates (binary and categorical, models failing rounds at random)
 * against a direct computation from the same forecasts in this test, plus filters, reproducible bootstrap
 * intervals, input validation, and the escaping and policy of the diagram and the page.
 */
class LeaderboardTest {
    private static final String CLOSES = "2026-11-29 18:00:00+00";
    private static final String EVIL_NAME = "<script>alert(\"x\")</script> & 'Co'";
    private static final String[][] MODELS = {{"alpha/one", "Alpha One"}, {"beta/two", "Beta Two"},
            {"gamma/three", "Gamma Three"}, {"delta/four", "Delta Four"}, {"evil/model", EVIL_NAME}};
    private static final String[] CATEGORICAL = {"England", "Draw (England vs. Argentina)", "Argentina"};
    private static final String[] CATEGORICAL_TOKENS = {GammaEvents.ENGLAND_TOKEN, GammaEvents.DRAW_TOKEN,
            GammaEvents.ARGENTINA_TOKEN};
    private static final String[] CATEGORIES = {"Crypto", "Sports", "Politics"};

    private static MutableGamma gamma;
    private static TestServer server;
    private static final List<Synthetic> DEBATES = new ArrayList<>();

    /** One model's forecasts by round, as percentages in outcome order; a failed round is absent. */
    private record Run(String modelId, String name, Map<Integer, int[]> byRound) {
    }

    private record Synthetic(String id, String category, LocalDate day, List<String> outcomes, double[] prices,
                             int winner, List<Run> runs) {
    }

    @BeforeAll
    static void start() {
        gamma = new MutableGamma();
        server = gamma.server().start();
        Random random = new Random(14);
        for (int i = 0; i < 30; i++) {
            boolean binary = i < 20;
            String marketId = String.valueOf(9500 + i);
            LocalDate day = binary ? LocalDate.parse("2026-08-01").plusDays(3L * i)
                    : LocalDate.parse("2026-06-01").plusDays(4L * (i - 20));
            List<String> outcomes = binary ? List.of("Yes", "No") : List.of(CATEGORICAL);
            int winner = random.nextInt(outcomes.size());
            double[] prices = new double[outcomes.size()];
            for (int k = 0; k < prices.length; k++) {
                prices[k] = (5 + random.nextInt(90)) / 100.0;
            }
            List<String[]> models = new ArrayList<>(Arrays.asList(MODELS));
            Collections.shuffle(models, random);
            int rounds = 1 + random.nextInt(3);
            List<Run> runs = new ArrayList<>();
            for (String[] model : models.subList(0, 3)) {
                Map<Integer, int[]> byRound = new LinkedHashMap<>();
                for (int r = 1; r <= rounds; r++) {
                    if (random.nextDouble() >= 0.15) {
                        byRound.put(r, split(random, outcomes.size()));
                    }
                }
                runs.add(new Run(model[0], model[1], byRound));
            }
            Synthetic debate = new Synthetic(null, CATEGORIES[random.nextInt(3)], day, outcomes, prices, winner, runs);
            DEBATES.add(insert(debate, marketId, rounds));
            gamma.set(marketId, binary
                    ? GammaEvents.binary(marketId, winner == 0 ? Stage.RESOLVED_YES : Stage.RESOLVED_NO, CLOSES)
                    : GammaEvents.categoricalSettled(marketId, List.of(CATEGORICAL[winner])));
        }
        JsonNode poll = refresh(server, admin(server));
        assertThat(poll.path("polled").asInt()).isEqualTo(30);
    }

    @AfterAll
    static void stop() {
        server.close();
        gamma.close();
    }

    /** Whole percentages over {@code k} outcomes summing to 100 (zeros allowed, as models give them). */
    private static int[] split(Random random, int k) {
        int[] p = new int[k];
        int left = 100;
        for (int i = 0; i < k - 1; i++) {
            p[i] = random.nextInt(left + 1);
            left -= p[i];
        }
        p[k - 1] = left;
        return p;
    }

    private static Synthetic insert(Synthetic d, String marketId, int rounds) {
        TestDebates builder = TestDebates.debate(server.jdbi(), null)
                .market(marketId, "Synthetic market " + marketId, d.category())
                .createdAt(d.day() + "T09:00:00Z").completedAt(d.day() + "T09:05:00Z").rounds(rounds);
        for (int k = 0; k < d.outcomes().size(); k++) {
            String token = d.outcomes().size() == 2 ? (k == 0 ? GammaEvents.YES_TOKEN : GammaEvents.NO_TOKEN)
                    : CATEGORICAL_TOKENS[k];
            builder.outcome(d.outcomes().get(k), d.prices()[k], token);
        }
        for (Run run : d.runs()) {
            builder.model(run.modelId(), run.name(), "Provider");
        }
        for (int r = 1; r <= rounds; r++) {
            for (Run run : d.runs()) {
                int[] p = run.byRound().get(r);
                if (p != null) {
                    Map<String, Double> predictions = new LinkedHashMap<>();
                    for (int k = 0; k < p.length; k++) {
                        predictions.put(d.outcomes().get(k), (double) p[k]);
                    }
                    builder.message(r, run.modelId(), "Round " + r + ".", predictions);
                }
            }
        }
        return new Synthetic(builder.insert(), d.category(), d.day(), d.outcomes(), d.prices(), d.winner(), d.runs());
    }

    // ---- the direct computation ----

    /** Everything the leaderboard reports for one forecaster, summed straight from the synthetic forecasts. */
    private static final class Expected {
        final String kind;
        final String name;
        int debates;
        int round1s;
        double brierRound1;
        double logRound1;
        double brierFinal;
        double logFinal;
        final List<Double> lifts = new ArrayList<>();
        int skills;
        double skillBrier;
        double skillMarket;
        int herdings;
        double herding;
        final long[] binCount = new long[10];
        final double[] binSum = new double[10];
        final long[] binHits = new long[10];

        Expected(String kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        void add(double[] round1, double[] last, int winner, Double marketBrier, Double debateHerding) {
            debates++;
            double bf = brier(last, winner);
            brierFinal += bf;
            logFinal += Math.log(Math.max(winner < last.length ? last[winner] : 0, 0.001));
            if (round1 != null) {
                double b1 = brier(round1, winner);
                round1s++;
                brierRound1 += b1;
                logRound1 += Math.log(Math.max(round1[winner], 0.001));
                lifts.add(b1 - bf);
            }
            if (marketBrier != null) {
                skills++;
                skillBrier += bf;
                skillMarket += marketBrier;
            }
            if (debateHerding != null) {
                herdings++;
                herding += debateHerding;
            }
            for (int k = 0; k < last.length; k++) {
                int bin = Math.min(9, (int) Math.floor(last[k] * 10 + 1e-9));
                binCount[bin]++;
                binSum[bin] += last[k];
                binHits[bin] += k == winner ? 1 : 0;
            }
        }
    }

    private static double brier(double[] p, int winner) {
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            sum += Math.pow(p[k] - (k == winner ? 1 : 0), 2);
        }
        return sum;
    }

    private static double[] fractions(int[] percent) {
        double[] p = new double[percent.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = percent[k] / 100.0;
        }
        return p;
    }

    private static double[] mean(List<double[]> forecasts) {
        double[] m = new double[forecasts.get(0).length];
        for (double[] f : forecasts) {
            for (int k = 0; k < m.length; k++) {
                m[k] += f[k];
            }
        }
        for (int k = 0; k < m.length; k++) {
            m[k] /= forecasts.size();
        }
        return m;
    }

    private static double spread(List<double[]> forecasts) {
        double[] m = mean(forecasts);
        double total = 0;
        for (int k = 0; k < m.length; k++) {
            double squares = 0;
            for (double[] f : forecasts) {
                squares += (f[k] - m[k]) * (f[k] - m[k]);
            }
            total += Math.sqrt(squares / forecasts.size());
        }
        return total / m.length;
    }

    private static Map<String, Expected> expected(Predicate<Synthetic> filter) {
        Map<String, Expected> all = new LinkedHashMap<>();
        for (Synthetic d : DEBATES) {
            if (!filter.test(d)) {
                continue;
            }
            double priceSum = Arrays.stream(d.prices()).sum();
            double[] market = Arrays.stream(d.prices()).map(p -> p / priceSum).toArray();
            double marketBrier = brier(market, d.winner());
            List<double[]> round1s = new ArrayList<>();
            List<double[]> finals = new ArrayList<>();
            List<double[]> bothRound1 = new ArrayList<>();
            List<double[]> bothFinal = new ArrayList<>();
            Map<Run, double[][]> forecasts = new LinkedHashMap<>();
            for (Run run : d.runs()) {
                if (run.byRound().isEmpty()) {
                    continue;
                }
                int lastRound = Collections.max(run.byRound().keySet());
                double[] round1 = run.byRound().containsKey(1) ? fractions(run.byRound().get(1)) : null;
                double[] last = fractions(run.byRound().get(lastRound));
                forecasts.put(run, new double[][] {round1, last});
                finals.add(last);
                if (round1 != null) {
                    round1s.add(round1);
                    bothRound1.add(round1);
                    bothFinal.add(last);
                }
            }
            Double herding = bothRound1.size() >= 2 ? spread(bothRound1) - spread(bothFinal) : null;
            forecasts.forEach((run, f) -> all.computeIfAbsent("model:" + run.modelId(),
                    k -> new Expected("model", run.name())).add(f[0], f[1], d.winner(), marketBrier, herding));
            all.computeIfAbsent("ensemble:ensemble", k -> new Expected("ensemble", DebateScorer.ENSEMBLE_NAME))
                    .add(round1s.isEmpty() ? null : mean(round1s), mean(finals), d.winner(), marketBrier, herding);
            all.computeIfAbsent("market:market", k -> new Expected("market", DebateScorer.MARKET_NAME))
                    .add(null, market, d.winner(), null, null);
        }
        return all;
    }

    /**
     * The documented bootstrap, done here again: sorted lifts, a seeded SplittableRandom per forecaster, two indices
     * per 64-bit number (high half, then low half, each scaled to [0, n)).
     */
    private static double[] interval(List<Double> lifts, long seed, String key) {
        double[] sorted = lifts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        assertThat(n).isLessThanOrEqualTo(Bootstrap.MAX_DRAWS);
        SplittableRandom random = new SplittableRandom(seed ^ key.hashCode());
        double[] means = new double[2000];
        for (int b = 0; b < 2000; b++) {
            double sum = 0;
            long bits = 0;
            for (int j = 0; j < n; j++) {
                long half;
                if (j % 2 == 0) {
                    bits = random.nextLong();
                    half = bits >>> 32;
                } else {
                    half = bits & 0xFFFF_FFFFL;
                }
                sum += sorted[(int) ((half * n) >>> 32)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        return new double[] {means[50], means[1949]};
    }

    private static void assertMatches(JsonNode body, Map<String, Expected> expected, int minDebates) {
        long seed = body.path("bootstrap").path("seed").asLong();
        assertThat(body.path("bootstrap").path("resamples").asInt()).isEqualTo(2000);
        List<String> keys = new ArrayList<>();
        double previous = Double.NEGATIVE_INFINITY;
        for (JsonNode row : body.path("rows")) {
            String key = row.path("kind").asText() + ":" + row.path("model_id").asText();
            keys.add(key);
            Expected e = expected.get(key);
            assertThat(e).as(key).isNotNull();
            assertThat(row.path("model_name").asText()).isEqualTo(e.name);
            assertThat(row.path("debates_scored").asInt()).as(key).isEqualTo(e.debates);
            double meanFinal = row.path("mean_brier_final").asDouble();
            assertThat(meanFinal).as(key).isCloseTo(e.brierFinal / e.debates, within(1e-9));
            assertThat(meanFinal).isGreaterThanOrEqualTo(previous);
            previous = meanFinal;
            assertThat(row.path("mean_log_score").asDouble()).isCloseTo(e.logFinal / e.debates, within(1e-9));
            assertNullableClose(row.path("mean_brier_round1"), e.round1s == 0 ? null : e.brierRound1 / e.round1s, key);
            assertNullableClose(row.path("mean_log_score_round1"), e.round1s == 0 ? null : e.logRound1 / e.round1s,
                    key);
            assertNullableClose(row.path("mean_lift"), e.lifts.isEmpty() ? null
                    : e.lifts.stream().mapToDouble(Double::doubleValue).sum() / e.lifts.size(), key);
            assertNullableClose(row.path("brier_skill_vs_market"), e.skills == 0 ? null
                    : 1 - e.skillBrier / e.skillMarket, key);
            assertNullableClose(row.path("herding"), e.herdings == 0 ? null : e.herding / e.herdings, key);
            if (e.lifts.isEmpty()) {
                assertThat(row.path("lift_ci95").isNull()).isTrue();
            } else {
                double[] ci = interval(e.lifts, seed, key);
                assertThat(row.path("lift_ci95").path("low").asDouble()).as(key).isCloseTo(ci[0], within(1e-12));
                assertThat(row.path("lift_ci95").path("high").asDouble()).as(key).isCloseTo(ci[1], within(1e-12));
                assertThat(ci[0]).isLessThanOrEqualTo(row.path("mean_lift").asDouble() + 1e-12);
                assertThat(ci[1]).isGreaterThanOrEqualTo(row.path("mean_lift").asDouble() - 1e-12);
            }
            JsonNode bins = row.path("calibration");
            assertThat(bins).hasSize(10);
            for (int b = 0; b < 10; b++) {
                JsonNode bin = bins.get(b);
                assertThat(bin.path("from").asDouble()).isCloseTo(b / 10.0, within(1e-12));
                assertThat(bin.path("count").asLong()).as(key + " bin " + b).isEqualTo(e.binCount[b]);
                assertNullableClose(bin.path("mean_forecast"), e.binCount[b] == 0 ? null
                        : e.binSum[b] / e.binCount[b], key);
                assertNullableClose(bin.path("observed_frequency"), e.binCount[b] == 0 ? null
                        : (double) e.binHits[b] / e.binCount[b], key);
            }
        }
        List<String> wanted = expected.entrySet().stream().filter(en -> en.getValue().debates >= minDebates)
                .map(Map.Entry::getKey).sorted().toList();
        assertThat(keys.stream().sorted().toList()).isEqualTo(wanted);
        assertThat(body.path("debates_scored").asInt())
                .isEqualTo(expected.getOrDefault("ensemble:ensemble", new Expected("", "")).debates);
    }

    private static void assertNullableClose(JsonNode actual, Double expected, String what) {
        if (expected == null) {
            assertThat(actual.isNull()).as(what).isTrue();
        } else {
            assertThat(actual.asDouble()).as(what).isCloseTo(expected, within(1e-9));
        }
    }

    private static JsonNode leaderboard(String query) {
        TestResponse response = server.http().get("/api/leaderboard" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    // ---- the tests ----

    @Test
    void the_leaderboard_of_thirty_resolved_debates_matches_a_direct_computation() {
        JsonNode body = leaderboard("");

        assertThat(body.path("debates_scored").asInt()).isEqualTo(30);
        assertThat(body.path("rows")).hasSize(7);
        assertMatches(body, expected(d -> true), 1);
    }

    @Test
    void filters_by_category_day_and_minimum_number_of_debates_match_the_direct_computation() {
        LocalDate since = LocalDate.parse("2026-08-20");
        assertMatches(leaderboard("?category=CRYPTO"), expected(d -> d.category().equals("Crypto")), 1);
        assertMatches(leaderboard("?since=" + since), expected(d -> !d.day().isBefore(since)), 1);
        LocalDate firstOfMonth = LocalDate.parse("2026-09-01");
        assertMatches(leaderboard("?since=" + firstOfMonth + "&category=sports"),
                expected(d -> !d.day().isBefore(firstOfMonth) && d.category().equals("Sports")), 1);
        Map<String, Expected> all = expected(d -> true);
        int threshold = all.values().stream().filter(e -> e.kind.equals("model")).mapToInt(e -> e.debates)
                .sorted().toArray()[2];
        JsonNode few = leaderboard("?min_debates=" + threshold);
        assertMatches(few, all, threshold);
        assertThat(few.path("filters").path("min_debates").asInt()).isEqualTo(threshold);
        assertThat(leaderboard("?category=Weather").path("rows")).isEmpty();
    }

    @Test
    void bootstrap_intervals_are_identical_on_two_runs_and_after_a_restart() {
        JsonNode first = leaderboard("");
        server.clock().advance(java.time.Duration.ofMinutes(2));
        JsonNode recomputed = leaderboard("");
        assertThat(recomputed).isEqualTo(first);

        TestServer again = gamma.server().storage(server.storage()).start();
        try {
            TestResponse restarted = again.http().get("/api/leaderboard");
            assertThat(restarted.json()).isEqualTo(first);
        } finally {
            again.close();
        }
        List<JsonNode> intervals = new ArrayList<>();
        first.path("rows").forEach(r -> intervals.add(r.path("lift_ci95")));
        assertThat(intervals).anyMatch(i -> i.isObject() && i.path("high").asDouble() > i.path("low").asDouble());
    }

    @Test
    void bad_filters_answer_400_naming_every_bad_parameter() {
        for (String query : List.of("since=2026-13-01", "since=2026-02-30", "since=yesterday", "since=2026-1-1",
                "min_debates=0", "min_debates=-1", "min_debates=abc", "min_debates=1.5",
                "min_debates=99999999999", "category=%3Cscript%3E", "category=" + "x".repeat(61))) {
            for (String path : List.of("/api/leaderboard", "/api/leaderboard/calibration.svg", "/leaderboard")) {
                TestResponse response = server.http().get(path + "?" + query);
                assertThat(response.status()).as(path + "?" + query).isEqualTo(400);
                assertThat(response.errorCode()).isEqualTo("validation_error");
                assertThat(response.json().path("error").path("details").fieldNames().next())
                        .isEqualTo(query.substring(0, query.indexOf('=')));
            }
        }
        TestResponse both = server.http().get("/api/leaderboard?since=x&min_debates=0&category=ok");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().path("error").path("details").has("since")).isTrue();
        assertThat(both.json().path("error").path("details").has("min_debates")).isTrue();
        assertThat(both.json().path("error").path("details").has("category")).isFalse();
    }

    @Test
    void the_diagram_is_well_formed_svg_with_every_name_escaped() throws Exception {
        TestResponse response = server.http().get("/api/leaderboard/calibration.svg");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(response.header("Cache-Control")).contains("public, max-age=60");
        String svg = response.body();
        Document document = parse(svg);
        assertThat(document.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(svg).doesNotContain("<script").contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                + "&amp; &#39;Co&#39;");
        assertThat(svg).contains("stroke-dasharray");
        // The escaped name is text again once parsed: the document holds the name, not markup.
        assertThat(document.getDocumentElement().getTextContent()).contains(EVIL_NAME);
        assertThat(document.getElementsByTagName("script").getLength()).isZero();
        assertThat(document.getElementsByTagName("polyline").getLength()).isEqualTo(7);

        TestResponse one = server.http().get("/api/leaderboard/calibration.svg?model=evil/model");
        assertThat(one.status()).isEqualTo(200);
        Document single = parse(one.body());
        assertThat(single.getElementsByTagName("polyline").getLength()).isEqualTo(1);
        assertThat(one.body()).doesNotContain("Alpha One");

        TestResponse unknown = server.http().get("/api/leaderboard/calibration.svg?model=nobody/none");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("model_not_found");
        assertThat(server.http().get("/api/leaderboard/calibration.svg?model=" + "m".repeat(201)).status())
                .isEqualTo(400);
    }

    @Test
    void the_page_is_self_contained_escaped_and_allowed_by_its_own_policy() throws Exception {
        TestResponse response = server.http().get("/leaderboard");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type").orElse("")).startsWith("text/html");
        assertThat(response.header("Cache-Control")).contains("public, max-age=60");
        String html = response.body();
        assertThat(html).contains("<meta name=\"viewport\"").contains("<table").contains("<svg ")
                .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;")
                .doesNotContain("<script").doesNotContain(" style=").doesNotContain("src=")
                .doesNotContain("href=").doesNotContain("<link").doesNotContain("@import").doesNotContain("url(");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");

        // The only style sheet is inline, and the policy allows exactly it (by hash) and nothing else.
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
        assertThat(style.find()).isTrue();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(style.group(1).getBytes(StandardCharsets.UTF_8)));
        String policy = response.header("Content-Security-Policy").orElseThrow();
        assertThat(policy).isEqualTo("default-src 'none'; style-src 'sha256-" + hash + "'; frame-ancestors 'none'; "
                + "base-uri 'none'; form-action 'none'");
        assertThat(style.find()).isFalse();
        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.header("X-Frame-Options")).contains("DENY");
        // Seven forecasters, seven rows (plus the header row).
        assertThat(html.split("<tr").length - 1).isEqualTo(8);
    }

    @Test
    void the_json_leaderboard_is_public_and_cacheable_for_a_minute() {
        TestResponse response = server.http().get("/api/leaderboard");

        assertThat(response.header("Cache-Control")).contains("public, max-age=60");
        assertThat(response.header("Content-Type").orElse("")).startsWith("application/json");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
