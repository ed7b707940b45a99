package com.polydebate.resolutions;

import com.polydebate.markets.EventSettlement;
import com.polydebate.markets.EventSettlement.GammaMarket;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a Gamma event's settlement. A Gamma market is settled only when it is {@code closed}, UMA says
 * {@code resolved}, and its prices are a payout: one outcome exactly 1 and the others exactly 0 (resolved), or every
 * outcome exactly 0.5 (void). Prices alone never settle anything: 0.9995 on an open market is a price, not a result.
 * A binary event settles with its one market; a categorical event (one Yes/No market per outcome) once all of its
 * deployed markets have settled, and its winner is the market whose Yes side paid 1.
 */
final class ResolutionRules {
    private static final BigDecimal ONE = BigDecimal.ONE;
    private static final BigDecimal HALF = new BigDecimal("0.5");

    private ResolutionRules() {
    }

    /** The settled outcome: its name (as the debate's outcomes are named) and its CLOB token. */
    record Winner(String name, String token) {
    }

    /**
     * The event's state; for {@code resolved}, {@code winner} is the one outcome that won (empty when none did, or
     * when {@code winnerCount} > 1 because several did). Times are Gamma's, empty when it gives none.
     */
    record Verdict(ResolutionState state, Optional<Winner> winner, int winnerCount, Optional<Instant> settledAt,
                   Optional<Instant> closedAt, String raw) {
    }

    private enum Phase { UNDEPLOYED, OPEN, CLOSING, PROPOSED, DISPUTED, RESOLVED, VOID }

    /** A Gamma market's phase and, when resolved, the index of the outcome that paid 1. */
    private record Reading(GammaMarket market, Phase phase, int paidIndex) {
        Optional<Instant> closedAt() {
            return market.closedTime().flatMap(ResolutionRules::instant);
        }

        Optional<Instant> settledAt() {
            return market.umaEndDate().flatMap(ResolutionRules::instant).or(this::closedAt);
        }
    }

    static Verdict read(EventSettlement event) {
        List<Reading> readings = event.markets().stream().map(ResolutionRules::reading).toList();
        return event.binary() ? binary(readings.get(0), event.raw()) : categorical(readings, event.raw());
    }

    private static Verdict binary(Reading reading, String raw) {
        GammaMarket market = reading.market();
        return switch (reading.phase()) {
            case RESOLVED -> new Verdict(ResolutionState.RESOLVED,
                    Optional.of(new Winner(market.outcomes().get(reading.paidIndex()), at(market.tokenIds(),
                            reading.paidIndex()))), 1, reading.settledAt(), reading.closedAt(), raw);
            case VOID -> new Verdict(ResolutionState.VOID, Optional.empty(), 0, reading.settledAt(),
                    reading.closedAt(), raw);
            default -> pending(state(reading.phase()), raw);
        };
    }

    private static Verdict categorical(List<Reading> all, String raw) {
        List<Reading> deployed = all.stream().filter(r -> r.phase() != Phase.UNDEPLOYED).toList();
        if (deployed.isEmpty()) {
            return pending(ResolutionState.OPEN, raw);
        }
        boolean settled = deployed.stream().allMatch(r -> r.phase() == Phase.RESOLVED || r.phase() == Phase.VOID);
        if (!settled) {
            return pending(state(least(deployed)), raw);
        }
        List<Reading> resolved = deployed.stream().filter(r -> r.phase() == Phase.RESOLVED).toList();
        Optional<Instant> settledAt = latest(deployed.stream().map(Reading::settledAt).toList());
        Optional<Instant> closedAt = latest(deployed.stream().map(Reading::closedAt).toList());
        if (resolved.isEmpty()) {
            return new Verdict(ResolutionState.VOID, Optional.empty(), 0, settledAt, closedAt, raw);
        }
        List<Reading> winners = resolved.stream().filter(r -> r.paidIndex() == yesIndex(r.market())).toList();
        if (winners.size() == 1) {
            Reading winner = winners.get(0);
            GammaMarket market = winner.market();
            return new Verdict(ResolutionState.RESOLVED,
                    Optional.of(new Winner(market.name(), at(market.tokenIds(), yesIndex(market)))), 1,
                    winner.settledAt().or(() -> settledAt), winner.closedAt().or(() -> closedAt), raw);
        }
        return new Verdict(ResolutionState.RESOLVED, Optional.empty(), winners.size(), settledAt, closedAt, raw);
    }

    /**
     * The state of an event whose markets have not all settled: a dispute anywhere first, then a proposal, then
     * trading still open on some market, else closed and waiting.
     */
    private static Phase least(List<Reading> deployed) {
        for (Phase phase : List.of(Phase.DISPUTED, Phase.PROPOSED, Phase.OPEN)) {
            if (deployed.stream().anyMatch(r -> r.phase() == phase)) {
                return phase;
            }
        }
        return Phase.CLOSING;
    }

    private static Verdict pending(ResolutionState state, String raw) {
        return new Verdict(state, Optional.empty(), 0, Optional.empty(), Optional.empty(), raw);
    }

    private static ResolutionState state(Phase phase) {
        return switch (phase) {
            case DISPUTED -> ResolutionState.DISPUTED;
            case PROPOSED -> ResolutionState.PROPOSED;
            case CLOSING, RESOLVED, VOID -> ResolutionState.CLOSING;
            case OPEN, UNDEPLOYED -> ResolutionState.OPEN;
        };
    }

    private static Reading reading(GammaMarket market) {
        if (market.outcomePrices().isEmpty() && market.tokenIds().isEmpty()) {
            return new Reading(market, Phase.UNDEPLOYED, -1);
        }
        String uma = market.umaResolutionStatus().map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        boolean closed = market.closed().orElse(false);
        if (uma.equals("disputed")) {
            return new Reading(market, Phase.DISPUTED, -1);
        }
        if (uma.equals("proposed")) {
            return new Reading(market, Phase.PROPOSED, -1);
        }
        if (!closed) {
            return new Reading(market, Phase.OPEN, -1);
        }
        if (uma.equals("resolved") && market.outcomePrices().size() == market.outcomes().size()) {
            List<BigDecimal> prices = market.outcomePrices().stream().map(ResolutionRules::decimal).toList();
            if (prices.stream().allMatch(Objects::nonNull)) {
                int paid = payout(prices);
                if (paid >= 0) {
                    return new Reading(market, Phase.RESOLVED, paid);
                }
                if (prices.size() >= 2 && prices.stream().allMatch(p -> p.compareTo(HALF) == 0)) {
                    return new Reading(market, Phase.VOID, -1);
                }
            }
        }
        return new Reading(market, Phase.CLOSING, -1);
    }

    /** The index of the only price that is exactly 1 when every other is exactly 0; -1 otherwise. */
    private static int payout(List<BigDecimal> prices) {
        int paid = -1;
        for (int i = 0; i < prices.size(); i++) {
            if (prices.get(i).compareTo(ONE) == 0) {
                if (paid >= 0) {
                    return -1;
                }
                paid = i;
            } else if (prices.get(i).signum() != 0) {
                return -1;
            }
        }
        return paid;
    }

    /** A categorical outcome is its market's "Yes" side: the outcome named Yes, else the first. */
    private static int yesIndex(GammaMarket market) {
        for (int i = 0; i < market.outcomes().size(); i++) {
            if (market.outcomes().get(i).trim().equalsIgnoreCase("yes")) {
                return i;
            }
        }
        return 0;
    }

    private static String at(List<String> list, int index) {
        return index >= 0 && index < list.size() ? list.get(index) : "";
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Optional<Instant> latest(List<Optional<Instant>> times) {
        return times.stream().flatMap(Optional::stream).max(Comparator.naturalOrder());
    }

    /** Gamma writes times as ISO-8601 ("2026-07-15T21:18:14Z") or as "2026-07-15 21:18:14+00". */
    static Optional<Instant> instant(String text) {
        String iso = text.trim().replace(' ', 'T');
        if (iso.matches(".*[+-]\\d\\d$")) {
            iso = iso + ":00";
        }
        try {
            return Optional.of(OffsetDateTime.parse(iso).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
