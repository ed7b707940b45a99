package com.polydebate.resolutions;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a market is on its way to settlement: {@code unknown} until Gamma was read once, then {@code open} (trading),
 * {@code closing} (closed, not settled), {@code proposed} / {@code disputed} (UMA), and finally {@code resolved} (with
 * the winning outcome) or {@code void} (settled 50/50). Only {@code resolved} is ever scored.
 */
public enum ResolutionState {
    UNKNOWN, OPEN, CLOSING, PROPOSED, DISPUTED, RESOLVED, VOID;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == RESOLVED || this == VOID;
    }

    public static Optional<ResolutionState> fromLabel(String label) {
        for (ResolutionState state : values()) {
            if (state.label().equals(label)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
