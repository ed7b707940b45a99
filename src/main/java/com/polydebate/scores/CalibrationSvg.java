package com.polydebate.scores;

import java.util.List;

/**
 * The reliability diagram, drawn on the server as a self-contained SVG (no script, no style sheet, no external
 * font or image): the diagonal of perfect calibration, and per forecaster its bins (mean forecast → observed
 * frequency) joined by a line, each point's area growing with the number of forecasts in its bin. Every name is
 * escaped.
 */
final class CalibrationSvg {
    static final String CONTENT_TYPE = "image/svg+xml; charset=utf-8";
    private static final List<String> COLOURS = List.of("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
            "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22");
    private static final int WIDTH = 480;
    private static final int LEFT = 56;
    private static final int TOP = 20;
    private static final int SIZE = 400;
    private static final int LEGEND_TOP = TOP + SIZE + 50;
    private static final int LEGEND_LINE = 20;

    private CalibrationSvg() {
    }

    static String render(List<Leaderboard.Row> rows) {
        int height = LEGEND_TOP + LEGEND_LINE * Math.max(1, rows.size()) + 10;
        StringBuilder svg = new StringBuilder(8_192);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">")
                .append("<title>Reliability diagram: forecast probability against observed frequency</title>")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>");
        grid(svg);
        long maxCount = rows.stream().flatMap(r -> r.calibration().stream()).mapToLong(Leaderboard.Bin::count)
                .max().orElse(1);
        for (int i = 0; i < rows.size(); i++) {
            series(svg, rows.get(i), COLOURS.get(i % COLOURS.size()), Math.max(1, maxCount));
            legend(svg, rows.get(i), COLOURS.get(i % COLOURS.size()), i);
        }
        if (rows.isEmpty()) {
            svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(LEGEND_TOP + 12)
                    .append("\" fill=\"#555555\">No scored debates yet.</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static void grid(StringBuilder svg) {
        for (int t = 0; t <= 10; t++) {
            double v = t / 10.0;
            String colour = t % 5 == 0 ? "#bbbbbb" : "#e5e5e5";
            line(svg, x(v), y(0), x(v), y(1), colour, null);
            line(svg, x(0), y(v), x(1), y(v), colour, null);
            if (t % 2 == 0) {
                svg.append("<text x=\"").append(Html.coordinate(x(v))).append("\" y=\"")
                        .append(Html.coordinate(y(0) + 16)).append("\" text-anchor=\"middle\" fill=\"#333333\">")
                        .append(Html.number(v, 1)).append("</text>");
                svg.append("<text x=\"").append(Html.coordinate(x(0) - 6)).append("\" y=\"")
                        .append(Html.coordinate(y(v) + 4)).append("\" text-anchor=\"end\" fill=\"#333333\">")
                        .append(Html.number(v, 1)).append("</text>");
            }
        }
        line(svg, x(0), y(0), x(1), y(1), "#555555", "6 4");
        svg.append("<text x=\"").append(Html.coordinate(x(0.5))).append("\" y=\"").append(TOP + SIZE + 36)
                .append("\" text-anchor=\"middle\" fill=\"#111111\">Forecast probability</text>");
        svg.append("<text x=\"16\" y=\"").append(Html.coordinate(y(0.5)))
                .append("\" text-anchor=\"middle\" fill=\"#111111\" transform=\"rotate(-90 16 ")
                .append(Html.coordinate(y(0.5))).append(")\">Observed frequency</text>");
    }

    private static void series(StringBuilder svg, Leaderboard.Row row, String colour, long maxCount) {
        List<Leaderboard.Bin> bins = row.calibration().stream().filter(b -> b.count() > 0).toList();
        if (bins.size() > 1) {
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"");
            for (Leaderboard.Bin bin : bins) {
                svg.append(Html.coordinate(x(bin.meanForecast()))).append(',')
                        .append(Html.coordinate(y(bin.observedFrequency()))).append(' ');
            }
            svg.append("\"/>");
        }
        for (Leaderboard.Bin bin : bins) {
            double radius = 2.5 + 7.5 * Math.sqrt((double) bin.count() / maxCount);
            svg.append("<circle cx=\"").append(Html.coordinate(x(bin.meanForecast()))).append("\" cy=\"")
                    .append(Html.coordinate(y(bin.observedFrequency()))).append("\" r=\"")
                    .append(Html.coordinate(radius)).append("\" fill=\"").append(colour)
                    .append("\" fill-opacity=\"0.55\" stroke=\"").append(colour).append("\"><title>")
                    .append(Html.escape(row.name())).append(": forecasts ").append(Html.number(bin.from(), 1))
                    .append('–').append(Html.number(bin.to(), 1)).append(", n = ").append(bin.count())
                    .append(", mean forecast ").append(Html.number(bin.meanForecast(), 3)).append(", observed ")
                    .append(Html.number(bin.observedFrequency(), 3)).append("</title></circle>");
        }
    }

    private static void legend(StringBuilder svg, Leaderboard.Row row, String colour, int index) {
        int y = LEGEND_TOP + index * LEGEND_LINE;
        svg.append("<circle cx=\"").append(LEFT + 6).append("\" cy=\"").append(y + 8).append("\" r=\"5\" fill=\"")
                .append(colour).append("\"/>");
        svg.append("<text x=\"").append(LEFT + 18).append("\" y=\"").append(y + 12).append("\" fill=\"#111111\">")
                .append(Html.escape(row.name())).append(" (").append(row.debates())
                .append(row.debates() == 1 ? " debate)" : " debates)").append("</text>");
    }

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String colour,
                             String dash) {
        svg.append("<line x1=\"").append(Html.coordinate(x1)).append("\" y1=\"").append(Html.coordinate(y1))
                .append("\" x2=\"").append(Html.coordinate(x2)).append("\" y2=\"").append(Html.coordinate(y2))
                .append("\" stroke=\"").append(colour).append('"');
        if (dash != null) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        svg.append("/>");
    }

    private static double x(double p) {
        return LEFT + p * SIZE;
    }

    private static double y(double p) {
        return TOP + (1 - p) * SIZE;
    }
}
