package com.polydebate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamTimeoutsConfigTest {
    private static final List<String> VARIABLES = List.of("UPSTREAM_CONNECT_TIMEOUT_SECONDS",
            "POLYMARKET_TIMEOUT_SECONDS", "POLYMARKET_EVENTS_TIMEOUT_SECONDS", "POLYMARKET_ENRICH_TIMEOUT_SECONDS",
            "OPENROUTER_MODELS_TIMEOUT_SECONDS", "ELEVENLABS_TIMEOUT_SECONDS", "ELEVENLABS_STATUS_TIMEOUT_SECONDS");

    @Test
    void the_defaults_are_the_timeouts_the_clients_had_as_constants() {
        UpstreamTimeouts timeouts = ConfigLoader.load(Map.of(), new SecureRandom()).upstreamTimeouts();

        assertThat(timeouts).isEqualTo(new UpstreamTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(5)));
    }

    @Test
    void each_timeout_is_read_from_its_variable() {
        UpstreamTimeouts timeouts = ConfigLoader.load(Map.of(
                "UPSTREAM_CONNECT_TIMEOUT_SECONDS", "2",
                "POLYMARKET_TIMEOUT_SECONDS", "3",
                "POLYMARKET_EVENTS_TIMEOUT_SECONDS", "4",
                "POLYMARKET_ENRICH_TIMEOUT_SECONDS", "6",
                "OPENROUTER_MODELS_TIMEOUT_SECONDS", "7",
                "ELEVENLABS_TIMEOUT_SECONDS", "8",
                "ELEVENLABS_STATUS_TIMEOUT_SECONDS", "9"), new SecureRandom()).upstreamTimeouts();

        assertThat(timeouts).isEqualTo(new UpstreamTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(4), Duration.ofSeconds(6), Duration.ofSeconds(7), Duration.ofSeconds(8),
                Duration.ofSeconds(9)));
    }

    @Test
    void zero_negative_huge_or_non_numeric_timeouts_are_each_listed_at_start_up() {
        ConfigException error = catchThrowableOfType(() -> ConfigLoader.load(Map.of(
                "UPSTREAM_CONNECT_TIMEOUT_SECONDS", "0",
                "POLYMARKET_TIMEOUT_SECONDS", "-1",
                "ELEVENLABS_TIMEOUT_SECONDS", "601",
                "ELEVENLABS_STATUS_TIMEOUT_SECONDS", "5s"), new SecureRandom()), ConfigException.class);

        assertThat(error.problems()).hasSize(4);
        assertThat(error.getMessage()).contains("UPSTREAM_CONNECT_TIMEOUT_SECONDS", "POLYMARKET_TIMEOUT_SECONDS",
                "ELEVENLABS_TIMEOUT_SECONDS must be between 1 and 600", "ELEVENLABS_STATUS_TIMEOUT_SECONDS");
    }

    @Test
    void every_timeout_variable_is_listed_in_the_env_example_with_its_default() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(".env.example"));
        UpstreamTimeouts defaults = ConfigLoader.load(Map.of(), new SecureRandom()).upstreamTimeouts();
        List<Duration> values = List.of(defaults.connect(), defaults.polymarket(), defaults.polymarketEvents(),
                defaults.polymarketEnrichment(), defaults.openRouterModels(), defaults.elevenLabsSpeech(),
                defaults.elevenLabsStatus());

        for (int i = 0; i < VARIABLES.size(); i++) {
            assertThat(lines).contains(VARIABLES.get(i) + "=" + values.get(i).toSeconds());
        }
    }
}
