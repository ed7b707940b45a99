package com.polydebate.scores;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON text columns of the score tables: prediction maps, outcome lists and calibration bins. */
final class ScoreJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScoreJson() {
    }

    static String write(Object value) {
        try {
            return value == null ? null : MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Double> predictions(String json) {
        return json == null ? null : read(json, new TypeReference<LinkedHashMap<String, Double>>() { });
    }

    static List<String> names(String json) {
        return read(json, new TypeReference<List<String>>() { });
    }

    static Calibration calibration(String json) {
        return Calibration.fromStored(read(json, new TypeReference<List<List<Number>>>() { }));
    }

    static Contribution contribution(ScoreDao.StoredForecast f) {
        return new Contribution(f.kind(), f.subject(), f.subjectName(), f.category(), f.debateDay(), f.brierRound1(),
                f.logRound1(), f.brierFinal(), f.logFinal(), f.lift(), f.marketBrier(), f.herding(),
                calibration(f.calibration()));
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
