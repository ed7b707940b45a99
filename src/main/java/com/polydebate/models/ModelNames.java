package com.polydebate.models;

import java.util.Locale;
import java.util.Map;

/** Provider names from model ids (§8.2 rule 6) and names derived from ids when the catalogue is away (§8.3). */
public final class ModelNames {
    private static final Map<String, String> PROVIDERS = Map.of(
            "google", "Google",
            "meta-llama", "Meta",
            "anthropic", "Anthropic",
            "openai", "OpenAI",
            "mistralai", "Mistral AI",
            "deepseek", "DeepSeek",
            "qwen", "Alibaba",
            "cohere", "Cohere");

    private ModelNames() {
    }

    /** {@code x-ai/grok-4-fast} → {@code X-Ai}; known prefixes map to their company names. */
    public static String provider(String modelId) {
        int slash = modelId.indexOf('/');
        String prefix = slash < 0 ? modelId : modelId.substring(0, slash);
        String known = PROVIDERS.get(prefix.toLowerCase(Locale.ROOT));
        return known != null ? known : titleCase(prefix);
    }

    /** {@code openai/gpt-5.1-chat} → {@code Gpt 5.1 Chat}. */
    public static String derivedName(String modelId) {
        int slash = modelId.indexOf('/');
        String rest = slash < 0 ? modelId : modelId.substring(slash + 1);
        return titleCase(rest.replace('-', ' '));
    }

    /** Upper-cases the first letter of every run of letters and lower-cases the rest. */
    public static String titleCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inWord = false;
        for (char c : text.toCharArray()) {
            if (Character.isLetter(c)) {
                out.append(inWord ? Character.toLowerCase(c) : Character.toUpperCase(c));
                inWord = true;
            } else {
                out.append(c);
                inWord = false;
            }
        }
        return out.toString();
    }
}
