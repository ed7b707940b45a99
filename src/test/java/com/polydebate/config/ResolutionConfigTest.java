package com.polydebate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolutionConfigTest {

    @Test
    void the_tracker_polls_every_half_hour_at_most_sixty_reads_a_minute_by_default() {
        ResolutionSettings settings = ConfigLoader.load(Map.of(), new SecureRandom()).resolutions();

        assertThat(settings.pollMinutes()).isEqualTo(30);
        assertThat(settings.requestsPerMinute()).isEqualTo(60);
        assertThat(settings.scheduled()).isTrue();
    }

    @Test
    void zero_minutes_turns_the_background_polling_off() {
        ResolutionSettings settings = ConfigLoader.load(Map.of("RESOLUTION_POLL_MINUTES", "0",
                "RESOLUTION_REQUESTS_PER_MINUTE", "5"), new SecureRandom()).resolutions();

        assertThat(settings.scheduled()).isFalse();
        assertThat(settings.requestsPerMinute()).isEqualTo(5);
    }

    @Test
    void out_of_range_or_malformed_values_stop_start_up_naming_each() {
        ConfigException error = catchThrowableOfType(() -> ConfigLoader.load(Map.of(
                "RESOLUTION_POLL_MINUTES", "10081",
                "RESOLUTION_REQUESTS_PER_MINUTE", "0"), new SecureRandom()), ConfigException.class);
        assertThat(error.problems()).hasSize(2);
        assertThat(String.join("\n", error.problems())).contains("RESOLUTION_POLL_MINUTES")
                .contains("RESOLUTION_REQUESTS_PER_MINUTE");

        ConfigException malformed = catchThrowableOfType(() -> ConfigLoader.load(Map.of(
                "RESOLUTION_POLL_MINUTES", "half an hour"), new SecureRandom()), ConfigException.class);
        assertThat(malformed.problems()).singleElement().asString().contains("RESOLUTION_POLL_MINUTES");
    }
}
