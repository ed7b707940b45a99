package com.polydebate.config;

import java.util.List;

/** Start-up configuration is invalid; the message lists every problem found. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    ConfigException(List<String> problems) {
        super("Invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
