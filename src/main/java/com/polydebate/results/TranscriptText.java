package com.polydebate.results;

import com.polydebate.debates.MessageView;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.stream.Collectors;

/** The plain-text transcript of §9.9. */
final class TranscriptText {
    private TranscriptText() {
    }

    static String render(StoredDebate debate, boolean includeAudio) {
        StoredDebate.Row row = debate.row();
        StringBuilder out = new StringBuilder();
        out.append("PolyDebate transcript\n");
        out.append("Market: ").append(row.marketQuestion()).append('\n');
        out.append("Date: ").append(Instant.parse(row.createdAt()).atZone(ZoneOffset.UTC).toLocalDate()).append('\n');
        out.append("Status: ").append(row.status()).append('\n');
        if (!row.isRunning()) {
            row.durationSeconds().map(seconds -> seconds / 60).ifPresent(minutes -> out.append("Duration: ")
                    .append(minutes).append(minutes == 1 ? " minute" : " minutes").append('\n'));
        }
        out.append('\n');
        int round = 0;
        for (MessageView message : debate.messages()) {
            if (message.round() != round) {
                round = message.round();
                out.append("=== ROUND ").append(round).append(": ")
                        .append(message.messageType().toUpperCase(Locale.ROOT)).append(" ===\n\n");
            }
            out.append('[').append(message.modelName()).append("]\n");
            out.append(message.text()).append('\n');
            if (!message.predictions().isEmpty()) {
                out.append("PREDICTION: ").append(message.predictions().entrySet().stream()
                        .map(e -> e.getKey() + " " + SummaryPrompt.plain(e.getValue()) + "%")
                        .collect(Collectors.joining(", "))).append('\n');
            }
            if (includeAudio && message.audioUrl() != null) {
                out.append("AUDIO: ").append(message.audioUrl()).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
