package com.polydebate.markets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reading Polymarket payloads: list fields that arrive as JSON-encoded strings or real arrays, numbers
 * that arrive as numbers or decimal strings. Numbers are read as BigDecimal so that volumes keep their
 * plain decimal form and token ids (76–78 digits) are never squeezed into a long or double.
 */
final class GammaJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private GammaJson() {
    }

    static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** A list field: a real array, or a string holding a JSON array; anything else (or bad JSON) is empty. */
    static List<JsonNode> list(JsonNode field) {
        JsonNode array = field;
        if (field != null && field.isTextual()) {
            try {
                array = MAPPER.readTree(field.asText());
            } catch (IOException e) {
                return List.of();
            }
        }
        if (array == null || !array.isArray()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    /** A string element of a list field (token ids, outcome names), never re-parsed as a number. */
    static Optional<String> textAt(List<JsonNode> list, int index) {
        if (index >= list.size() || list.get(index).isNull() || list.get(index).isContainerNode()) {
            return Optional.empty();
        }
        return Optional.of(list.get(index).asText());
    }

    static Optional<BigDecimal> decimalAt(List<JsonNode> list, int index) {
        return index < list.size() ? decimal(list.get(index)) : Optional.empty();
    }

    /** A number or a decimal string. */
    static Optional<BigDecimal> decimal(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isNumber()) {
            return Optional.of(node.decimalValue());
        }
        if (node.isTextual()) {
            try {
                return Optional.of(new BigDecimal(node.asText().trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Only a JSON number counts (a null or a string does not). */
    static Optional<BigDecimal> strictNumber(JsonNode node) {
        return node != null && node.isNumber() ? Optional.of(node.decimalValue()) : Optional.empty();
    }

    /** Text of a scalar field, or empty when absent, null or not a scalar. */
    static Optional<String> text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    static Optional<String> nonBlank(JsonNode node) {
        return text(node).filter(s -> !s.isBlank());
    }

    /** Gamma's volume as a plain decimal string, never with an exponent; "0" when missing (§6.9). */
    static String plainDecimal(JsonNode volume) {
        if (volume != null && volume.isTextual() && PLAIN_DECIMAL.matcher(volume.asText().trim()).matches()) {
            return volume.asText().trim();
        }
        return decimal(volume).map(BigDecimal::toPlainString).orElse("0");
    }

    /** A price change in price units → percentage points with 2 decimals (0.015 → 1.5). */
    static double percentPoints(BigDecimal change) {
        return change.multiply(HUNDRED).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    /** §6.12: 1234567 → "1.2M", 850500 → "850.5K", 999.9 → "999", missing → "0"; half-up. */
    static String formatVolume(JsonNode value) {
        return decimal(value).map(GammaJson::formatVolume).orElse("0");
    }

    static String formatVolume(BigDecimal v) {
        if (v.compareTo(BigDecimal.valueOf(1_000_000)) >= 0) {
            return v.movePointLeft(6).setScale(1, RoundingMode.HALF_UP).toPlainString() + "M";
        }
        if (v.compareTo(BigDecimal.valueOf(1_000)) >= 0) {
            return v.movePointLeft(3).setScale(1, RoundingMode.HALF_UP).toPlainString() + "K";
        }
        return v.setScale(0, RoundingMode.DOWN).toPlainString();
    }
}
