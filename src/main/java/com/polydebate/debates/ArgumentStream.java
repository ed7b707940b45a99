package com.polydebate.debates;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the {@code "argument"} string out of a model answer while it streams in, decoding JSON escapes, so that
 * viewers see the argument's text and never the JSON around it or the predictions. An escape cut between two
 * fragments (a lone backslash, part of a unicode escape, half a surrogate pair) waits for the rest. The text is what the answer's
 * {@code argument} holds verbatim; the message's text is that after {@link TextCleaner} (markdown, HTML and JSON
 * residue out, only the first sentence kept, a final full stop added, whitespace collapsed).
 * An answer that is not JSON with a string {@code argument} yields no text here. Not thread-safe.
 */
final class ArgumentStream {
    private static final Pattern START = Pattern.compile("\"argument\"\\s*:\\s*\"");

    private final StringBuilder raw = new StringBuilder();
    private final StringBuilder text = new StringBuilder();
    /** Where decoding continues in {@code raw}; -1 while the argument has not begun. */
    private int at = -1;
    private boolean ended;

    /** Feeds the next fragment of the answer; returns the argument text decoded so far. */
    CharSequence feed(String fragment) {
        raw.append(fragment);
        if (ended) {
            return text;
        }
        if (at < 0) {
            Matcher m = START.matcher(raw);
            if (!m.find()) {
                return text;
            }
            at = m.end();
        }
        decode();
        return text;
    }

    CharSequence text() {
        return text;
    }

    private void decode() {
        while (at < raw.length()) {
            char c = raw.charAt(at);
            if (c == '"') {
                ended = true;
                return;
            }
            if (c != '\\') {
                text.append(c);
                at++;
                continue;
            }
            if (at + 1 >= raw.length()) {
                return;
            }
            char e = raw.charAt(at + 1);
            if (e == 'u') {
                if (at + 6 > raw.length()) {
                    return;
                }
                int code;
                try {
                    code = Integer.parseInt(raw.substring(at + 2, at + 6), 16);
                } catch (NumberFormatException bad) {
                    ended = true;
                    return;
                }
                if (Character.isHighSurrogate((char) code)) {
                    // Emit the pair whole, never a lone half a viewer could not render.
                    if (at + 12 > raw.length()) {
                        return;
                    }
                    text.append((char) code);
                    at += 6;
                    continue;
                }
                text.append((char) code);
                at += 6;
                continue;
            }
            text.append(switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> e;
            });
            at += 2;
        }
    }
}
