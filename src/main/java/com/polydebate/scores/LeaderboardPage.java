package com.polydebate.scores;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * {@code GET /leaderboard}: the leaderboard table and the reliability diagram as one self-contained page (no
 * script, font or external file; the diagram is inline SVG), readable on a phone. Its one style sheet is inline and
 * allowed by its hash, so the page keeps the API's strict policy otherwise.
 */
final class LeaderboardPage {
    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    private static final String STYLE = """
            body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;\
            color:#111;background:#fafafa}\
            main{max-width:60rem;margin:0 auto;padding:1rem}\
            h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}\
            p{line-height:1.45}.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}\
            table{border-collapse:collapse;width:100%;font-size:.9rem;background:#fff}\
            th,td{padding:.4rem .5rem;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}\
            th:nth-child(2),td:nth-child(2){text-align:left;white-space:normal;min-width:10rem}\
            tr.ensemble td,tr.market td{background:#f1f5fb}\
            svg{max-width:100%;height:auto;background:#fff}.muted{color:#555;font-size:.85rem}""";
    /** The page's policy: the API's, plus exactly this style sheet. */
    static final String POLICY = "default-src 'none'; style-src '" + hash(STYLE) + "'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'none'";

    private LeaderboardPage() {
    }

    static String render(Leaderboard board, String svg) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>PolyDebate leaderboard</title><style>").append(STYLE)
                .append("</style></head><body><main>")
                .append("<h1>Does debating make AI forecasts better?</h1>")
                .append("<p>Every debate on a Polymarket market that has since resolved, scored against the result: ")
                .append("each model's blind round-1 forecast and its final one, the models' mean (ensemble) and the ")
                .append("market's price when the debate started. Lower Brier is better; positive lift means the ")
                .append("debate improved the forecast.</p>")
                .append("<p class=\"muted\">").append(filters(board)).append("</p>")
                .append("<div class=\"scroll\"><table><thead><tr><th>#</th><th>Forecaster</th><th>Debates</th>")
                .append("<th>Brier round 1</th><th>Brier final</th><th>Lift</th><th>Lift 95% CI</th>")
                .append("<th>Skill vs market</th><th>Log score</th><th>Herding</th></tr></thead><tbody>");
        int rank = 1;
        for (Leaderboard.Row row : board.rows()) {
            html.append("<tr class=\"").append(Html.escape(row.kind())).append("\"><td>").append(rank++)
                    .append("</td><td>").append(Html.escape(row.name())).append("</td><td>").append(row.debates())
                    .append("</td><td>").append(Html.number(row.meanBrierRound1(), 3))
                    .append("</td><td>").append(Html.number(row.meanBrierFinal(), 3))
                    .append("</td><td>").append(Html.number(row.meanLift(), 3))
                    .append("</td><td>").append(row.liftInterval().map(i -> Html.number(i.low(), 3) + " to "
                            + Html.number(i.high(), 3)).orElse("–"))
                    .append("</td><td>").append(Html.number(row.skill(), 3))
                    .append("</td><td>").append(Html.number(row.meanLogFinal(), 3))
                    .append("</td><td>").append(Html.number(row.herding(), 3)).append("</td></tr>");
        }
        if (board.rows().isEmpty()) {
            html.append("<tr><td colspan=\"10\">No debate has been scored yet: scores appear once a debated ")
                    .append("market resolves.</td></tr>");
        }
        html.append("</tbody></table></div><h2>Calibration</h2>")
                .append("<p>How often outcomes forecast at a given probability came true (final forecasts). ")
                .append("Points on the dashed diagonal are perfectly calibrated.</p>")
                .append("<figure>").append(svg).append("</figure>")
                .append("<p class=\"muted\">Brier: Σ (p − outcome)², 0 best, 2 worst. Log score: ln p(winner), p ")
                .append("floored at 0.001. Skill vs market: 1 − Brier / Brier of the market. Herding: spread ")
                .append("between the models in round 1 minus at the end. Intervals: bootstrap, ")
                .append(Bootstrap.RESAMPLES).append(" resamples, fixed seed. Data as JSON: /api/leaderboard.</p>")
                .append("</main></body></html>");
        return html.toString();
    }

    private static String filters(Leaderboard board) {
        StringBuilder text = new StringBuilder();
        text.append(board.debatesScored()).append(board.debatesScored() == 1 ? " debate scored" : " debates scored");
        board.query().category().ifPresent(c -> text.append(" · category ").append(Html.escape(c)));
        board.query().since().ifPresent(d -> text.append(" · since ").append(d));
        if (board.query().minDebates() > 1) {
            text.append(" · forecasters with at least ").append(board.query().minDebates()).append(" debates");
        }
        return text.toString();
    }

    private static String hash(String style) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
