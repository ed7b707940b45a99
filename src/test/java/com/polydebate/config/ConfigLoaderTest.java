package com.polydebate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void defaults_follow_the_contract() {
        Config config = ConfigLoader.load(Map.of(), new SecureRandom());

        assertThat(config.port()).isEqualTo(5001);
        assertThat(config.dailyDebateLimit()).isEqualTo(3);
        assertThat(config.allowedModels()).contains("anthropic/claude-haiku-4.5").hasSize(11);
        assertThat(config.elevenLabsVoiceIds()).hasSize(4);
        assertThat(config.openRouterApiKey()).isEmpty();
        assertThat(config.databaseUrl()).isEqualTo("jdbc:sqlite:./storage/polydebate.db");
        assertThat(config.jwtSecretGenerated()).isTrue();
        assertThat(config.jwtSecretKey()).hasSize(64);
    }

    @Test
    void production_without_a_secret_refuses_to_start() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("APP_ENV", "production"), new SecureRandom()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JWT_SECRET_KEY");
    }

    @Test
    void production_with_a_short_secret_refuses_to_start() {
        assertThatThrownBy(() -> ConfigLoader.load(
                Map.of("APP_ENV", "production", "JWT_SECRET_KEY", "short"), new SecureRandom()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least 32 characters");
    }

    @Test
    void every_invalid_value_is_listed_at_once() {
        ConfigException error = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() ->
                ConfigLoader.load(Map.of(
                        "PORT", "abc",
                        "CODE_LENGTH", "12",
                        "SMTP_USE_TLS", "maybe",
                        "APP_ENV", "staging",
                        "GEMINI_API_URL", "ftp://x"), new SecureRandom()));

        assertThat(error.problems()).hasSize(5);
        assertThat(error.getMessage()).contains("PORT", "CODE_LENGTH", "SMTP_USE_TLS", "APP_ENV", "GEMINI_API_URL");
    }

    @Test
    void original_sqlite_url_form_is_accepted() {
        Config config = ConfigLoader.load(Map.of("DATABASE_URL", "sqlite:////data/pd.db"), new SecureRandom());

        assertThat(config.databaseUrl()).isEqualTo("jdbc:sqlite:/data/pd.db");
    }

    @Test
    void original_sqlite_url_with_three_slashes_names_a_relative_file_as_it_did_in_the_original() {
        Config config = ConfigLoader.load(Map.of("DATABASE_URL", "sqlite:///polydebate.db"), new SecureRandom());

        assertThat(config.databaseUrl()).isEqualTo("jdbc:sqlite:polydebate.db");
    }

    @Test
    void gmail_without_credentials_is_a_configuration_error() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("EMAIL_SERVICE", "gmail"), new SecureRandom()))
                .hasMessageContaining("GMAIL_USER");
    }
}
