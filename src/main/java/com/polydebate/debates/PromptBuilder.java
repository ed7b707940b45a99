package com.polydebate.debates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The chat messages of §11.4 for one turn. A blind turn (round 1 of a debate with an independent first round) is
 * told that it answers alone; its caller passes no earlier message.
 */
final class PromptBuilder {
    /** One chat message: role and content. */
    record ChatMessage(String role, String content) {
    }

    private PromptBuilder() {
    }

    static int maxTokens(int outcomeCount) {
        int raw = (int) Math.floor(((250 + 25.0 * outcomeCount) * 1.5) / 100) * 100 + 100;
        return Math.max(1000, Math.min(4000, raw));
    }

    static List<ChatMessage> build(String question, String description, List<StoredOutcome> outcomes, int round,
                                   int rounds, boolean blind, List<ContextMessage> earlier) {
        String quotedNames = outcomes.stream().map(o -> "\"" + o.name() + "\"").collect(Collectors.joining(", "));
        // Round 1 of a 1-round debate is its final round too (§11.4); only message_type keeps calling it "initial".
        boolean finalRound = round == rounds;
        StringBuilder system = new StringBuilder();
        system.append("You are taking part in a structured debate between several AI models about a prediction market.\n\n");
        system.append("Market question: ").append(question).append('\n');
        system.append("Market description: ").append(description == null || description.isBlank()
                ? "(none)" : description).append("\n\n");
        system.append("Outcomes with their current market odds:\n");
        for (int i = 0; i < outcomes.size(); i++) {
            system.append(i + 1).append(". ").append(outcomes.get(i).name()).append(" (")
                    .append(String.format(Locale.ROOT, "%.1f", outcomes.get(i).price() * 100)).append("%)\n");
        }
        system.append("\nThe exact outcome names are: ").append(quotedNames).append(".\n");
        system.append("Copy these names character for character, give a prediction for every listed outcome, and never "
                + "invent generic names such as \"Outcome 1\" or \"Option A\" or any extra outcome.\n\n");
        system.append("This is round ").append(round).append(" of ").append(rounds).append(".\n");
        if (finalRound) {
            system.append("This is the final round: give a definitive final forecast that weighs everything said in "
                    + "the debate.\n");
        }
        if (blind) {
            system.append("In this round every model forecasts independently: you do not see the other models' "
                    + "answers and they do not see yours.\n");
        }
        system.append("\nAnswer with ONLY one JSON object of this form:\n")
                .append("{\"argument\": \"<one or two sentences>\", \"predictions\": {\"<outcome name>\": <number>, ...}}\n")
                .append("The numbers are percentages from 0 to 100 with at most two decimals, without % signs, and they "
                        + "must sum to 100. ")
                .append(blind ? "Base them on your own analysis of the market.\n"
                        : "Base them on your own analysis and on the discussion so far; you may agree or disagree with "
                        + "the other models' arguments and numbers.\n");
        system.append("Example: ").append(example(outcomes));
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(new ChatMessage("system", system.toString()));
        for (ContextMessage m : earlier) {
            StringBuilder content = new StringBuilder("[").append(m.modelName()).append("]: ").append(m.text());
            if (!m.predictions().isEmpty()) {
                content.append("\nPredictions: ").append(m.predictions().entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                        .map(e -> e.getKey() + ": " + format(e.getValue()) + "%")
                        .collect(Collectors.joining(", ")));
            }
            content.append("\n(Outcome names to use exactly: ").append(quotedNames).append(")");
            messages.add(new ChatMessage("assistant", content.toString()));
        }
        String ask;
        if (round == 1 && earlier.isEmpty()) {
            ask = "Give your opening argument and your predictions.";
        } else if (finalRound) {
            ask = "This is the final round. Weigh the whole debate, then give your final forecast and a concluding "
                    + "statement.";
        } else {
            ask = "Give your argument for this round, responding to the other models' points and numbers, and your "
                    + "predictions.";
        }
        ask += " Remember: predict all " + outcomes.size() + " outcomes using exactly these names: " + quotedNames + ".";
        messages.add(new ChatMessage("user", ask));
        return messages;
    }

    private static String example(List<StoredOutcome> outcomes) {
        StringBuilder example = new StringBuilder("{\"argument\": \"Recent polling and momentum favour ")
                .append(outcomes.get(0).name().replace("\"", "'")).append(".\", \"predictions\": {");
        int shown = Math.min(outcomes.size(), 3);
        double share = Math.floor(10000.0 / outcomes.size()) / 100;
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                example.append(", ");
            }
            example.append('"').append(outcomes.get(i).name()).append("\": ").append(format(share));
        }
        if (shown < outcomes.size()) {
            example.append(", ...");
        }
        return example.append("}}").toString();
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
