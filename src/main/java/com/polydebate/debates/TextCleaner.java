package com.polydebate.debates;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The argument clean-up of §11.7: markdown and JSON residue out, first sentence kept. */
final class TextCleaner {
    private static final Pattern FENCED = Pattern.compile("```[\\s\\S]*?```");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*", Pattern.DOTALL);
    private static final Pattern UNDER_BOLD = Pattern.compile("__(.+?)__", Pattern.DOTALL);
    private static final Pattern ITALIC = Pattern.compile("\\*(.+?)\\*", Pattern.DOTALL);
    private static final Pattern UNDER_ITALIC = Pattern.compile("(?<![\\w])_(.+?)_(?![\\w])", Pattern.DOTALL);
    private static final Pattern HTML = Pattern.compile("<[^>]+>");
    private static final Pattern JSON_HEAD = Pattern.compile(
            "^\\s*\\{?\\s*\"?argument\"?\\s*:\\s*\"?", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern JSON_PREDICTIONS = Pattern.compile(
            "[\"',}\\s]*\"?predictions\"?\\s*:\\s*\\{[\\s\\S]*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LABEL = Pattern.compile("^\"?argument\"?\\s*:\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern TRAILING_RESIDUE = Pattern.compile("[\"',}\\s]+$");
    // A run of terminators followed by whitespace or the end: "3.5%" has a digit after its dot and survives.
    private static final Pattern FIRST_SENTENCE = Pattern.compile("^.*?[.!?]+(?=\\s|$)", Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TextCleaner() {
    }

    /** The cleaned first sentence, or empty when neither the argument nor the raw content has any text. */
    static Optional<String> clean(String argument, String rawContent) {
        String text = FENCED.matcher(argument).replaceAll("");
        text = INLINE_CODE.matcher(text).replaceAll("$1");
        text = LINK.matcher(text).replaceAll("$1");
        text = BOLD.matcher(text).replaceAll("$1");
        text = UNDER_BOLD.matcher(text).replaceAll("$1");
        text = ITALIC.matcher(text).replaceAll("$1");
        text = UNDER_ITALIC.matcher(text).replaceAll("$1");
        text = HTML.matcher(text).replaceAll("");
        String lower = text.toLowerCase();
        if (text.stripLeading().startsWith("{") || lower.contains("\"argument\"") || lower.contains("\"predictions\"")) {
            text = JSON_HEAD.matcher(text).replaceFirst("");
            text = JSON_PREDICTIONS.matcher(text).replaceFirst("");
        }
        text = LABEL.matcher(text.strip()).replaceFirst("");
        text = TRAILING_RESIDUE.matcher(text).replaceFirst("");
        text = text.strip();
        if (text.isEmpty()) {
            String raw = collapse(rawContent == null ? "" : rawContent);
            return raw.isEmpty() ? Optional.empty() : Optional.of(raw);
        }
        Matcher sentence = FIRST_SENTENCE.matcher(text);
        if (sentence.find()) {
            text = sentence.group();
        }
        if (!text.endsWith(".") && !text.endsWith("!") && !text.endsWith("?")) {
            text = text + ".";
        }
        return Optional.of(collapse(text));
    }

    private static String collapse(String text) {
        return WHITESPACE.matcher(text).replaceAll(" ").strip();
    }
}
