package com.polydebate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    /** 32 bytes from {@code openssl rand -hex 32}. */
    private static final String GENERATED_HEX_KEY =
            "9f3b2c71e4a05d86b1f7c3e29a48d05e6c1b7f2a93e84d50c6a2f1b8e7d39c04";
    private static final String STRONG_ADMIN_PASSWORD = "tr0ub4dor-and-3";

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
    void idle_collection_waits_20_seconds_by_default_and_0_turns_it_off() {
        assertThat(ConfigLoader.load(Map.of(), new SecureRandom()).idleGcSeconds()).isEqualTo(20);
        assertThat(ConfigLoader.load(Map.of("IDLE_GC_SECONDS", "0"), new SecureRandom()).idleGcSeconds()).isZero();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IDLE_GC_SECONDS", "-1"), new SecureRandom()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("IDLE_GC_SECONDS");
    }

    @Test
    void request_threads_default_to_64_and_fewer_than_8_is_refused() {
        assertThat(ConfigLoader.load(Map.of(), new SecureRandom()).httpMaxThreads()).isEqualTo(64);
        assertThat(ConfigLoader.load(Map.of("HTTP_MAX_THREADS", "16"), new SecureRandom()).httpMaxThreads())
                .isEqualTo(16);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("HTTP_MAX_THREADS", "4"), new SecureRandom()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("HTTP_MAX_THREADS");
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

    private static Config production(String... pairs) {
        Map<String, String> vars = new HashMap<>();
        vars.put("APP_ENV", "production");
        vars.put("JWT_SECRET_KEY", GENERATED_HEX_KEY);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            vars.put(pairs[i], pairs[i + 1]);
        }
        return ConfigLoader.load(vars, new SecureRandom());
    }

    private static ConfigException refusal(Runnable load) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(load::run);
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    private static InetAddress address(String literal) {
        return IpRange.literal(literal).orElseThrow(() -> new AssertionError("Not an address: " + literal));
    }

    @Test
    void production_refuses_a_long_secret_of_one_repeated_character() {
        ConfigException error = refusal(() -> production("JWT_SECRET_KEY", "a".repeat(40)));

        assertThat(error.problems()).singleElement().asString().contains("JWT_SECRET_KEY", "guessable");
    }

    @Test
    void production_refuses_a_long_secret_that_repeats_a_short_word() {
        ConfigException error = refusal(() -> production("JWT_SECRET_KEY", "abcd".repeat(10)));

        assertThat(error.problems()).singleElement().asString().contains("JWT_SECRET_KEY", "guessable");
    }

    @Test
    void production_refuses_a_repeated_unit_even_with_many_distinct_characters() {
        ConfigException error = refusal(() -> production("JWT_SECRET_KEY", "0123456789abcdef".repeat(4) + "0123"));

        assertThat(error.getMessage()).contains("JWT_SECRET_KEY");
    }

    @Test
    void production_accepts_generated_hex_and_base64_keys() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String hex = HexFormat.of().formatHex(random);
        String base64 = Base64.getEncoder().encodeToString(random);

        assertThat(production().jwtSecretKey()).isEqualTo(GENERATED_HEX_KEY);
        assertThat(production("JWT_SECRET_KEY", hex).jwtSecretKey()).isEqualTo(hex);
        assertThat(production("JWT_SECRET_KEY", base64).jwtSecretKey()).isEqualTo(base64);
        assertThat(production().jwtSecretGenerated()).isFalse();
    }

    @Test
    void development_accepts_a_weak_secret_and_a_short_admin_password() {
        Config config = ConfigLoader.load(Map.of("JWT_SECRET_KEY", "a".repeat(40), "ADMIN_PASSWORD", "short"),
                new SecureRandom());

        assertThat(config.jwtSecretKey()).isEqualTo("a".repeat(40));
        assertThat(config.adminPassword()).contains("short");
    }

    @Test
    void production_refuses_an_admin_password_shorter_than_twelve_characters() {
        ConfigException error = refusal(() -> production("ADMIN_PASSWORD", "elevenchars"));

        assertThat(error.problems()).singleElement().asString().contains("ADMIN_PASSWORD", "12");
        assertThat(error.getMessage()).doesNotContain("elevenchars");
    }

    @Test
    void production_accepts_an_admin_password_of_twelve_characters_or_none() {
        assertThat(production("ADMIN_PASSWORD", "twelve-chars").adminPassword()).contains("twelve-chars");
        assertThat(production("ADMIN_PASSWORD", STRONG_ADMIN_PASSWORD).adminPassword())
                .contains(STRONG_ADMIN_PASSWORD);
        assertThat(production().adminPassword()).isEmpty();
    }

    @Test
    void production_lists_a_weak_secret_and_a_short_admin_password_together() {
        ConfigException error = refusal(() -> production("JWT_SECRET_KEY", "abcd".repeat(10),
                "ADMIN_PASSWORD", "admin"));

        assertThat(error.problems()).hasSize(2);
        assertThat(error.getMessage()).contains("JWT_SECRET_KEY", "ADMIN_PASSWORD");
    }

    @Test
    void abuse_limits_and_proxy_settings_have_safe_defaults() {
        Config config = ConfigLoader.load(Map.of(), new SecureRandom());

        assertThat(config.trustedProxies()).isEmpty();
        assertThat(config.trustedProxyHops()).isZero();
        assertThat(config.maxVerificationAttempts()).isEqualTo(5);
        assertThat(config.maxCodeRequestsPerHour()).isEqualTo(5);
        assertThat(config.maxCodeRequestsPerIpPerHour()).isEqualTo(20);
        assertThat(config.adminLoginMaxFailures()).isEqualTo(20);
    }

    @Test
    void trusted_proxies_accept_ipv4_and_ipv6_addresses_and_cidr_blocks() {
        Config config = ConfigLoader.load(Map.of("TRUSTED_PROXIES", " 10.0.0.1, 172.16.0.0/12 ,::1,fd00::/8,"),
                new SecureRandom());

        List<IpRange> ranges = config.trustedProxies();
        assertThat(ranges).hasSize(4);
        assertThat(ranges.get(0).contains(address("10.0.0.1"))).isTrue();
        assertThat(ranges.get(0).contains(address("10.0.0.2"))).isFalse();
        assertThat(ranges.get(1).contains(address("172.31.0.9"))).isTrue();
        assertThat(ranges.get(1).contains(address("172.32.0.9"))).isFalse();
        assertThat(ranges.get(2).contains(address("::1"))).isTrue();
        assertThat(ranges.get(2).contains(address("127.0.0.1"))).isFalse();
        assertThat(ranges.get(3).contains(address("fdab::1"))).isTrue();
        assertThat(ranges.get(3).contains(address("fe80::1"))).isFalse();
    }

    @Test
    void malformed_trusted_proxies_are_each_listed_and_host_names_are_never_resolved() {
        ConfigException error = refusal(() -> ConfigLoader.load(
                Map.of("TRUSTED_PROXIES", "10.0.0.0/33, 256.1.1.1, localhost, proxy.example.com, 10.0.0.0/x, ::1/129"),
                new SecureRandom()));

        assertThat(error.problems()).hasSize(6);
        assertThat(error.getMessage()).contains("'10.0.0.0/33'", "'256.1.1.1'", "'localhost'", "'proxy.example.com'",
                "'10.0.0.0/x'", "'::1/129'");
    }

    @Test
    void trusted_proxies_and_trusted_proxy_hops_together_are_a_configuration_error() {
        ConfigException error = refusal(() -> ConfigLoader.load(
                Map.of("TRUSTED_PROXIES", "10.0.0.1", "TRUSTED_PROXY_HOPS", "1"), new SecureRandom()));

        assertThat(error.problems()).singleElement().asString()
                .contains("TRUSTED_PROXIES", "TRUSTED_PROXY_HOPS", "not both");
    }

    @Test
    void trusted_proxy_hops_alone_is_accepted_within_its_range() {
        assertThat(ConfigLoader.load(Map.of("TRUSTED_PROXY_HOPS", "2"), new SecureRandom()).trustedProxyHops())
                .isEqualTo(2);
        assertThat(refusal(() -> ConfigLoader.load(Map.of("TRUSTED_PROXY_HOPS", "11"), new SecureRandom()))
                .getMessage()).contains("TRUSTED_PROXY_HOPS");
        assertThat(refusal(() -> ConfigLoader.load(Map.of("TRUSTED_PROXY_HOPS", "-1"), new SecureRandom()))
                .getMessage()).contains("TRUSTED_PROXY_HOPS");
    }

    @Test
    void every_variable_the_loader_reads_is_listed_in_the_env_example() throws IOException {
        Set<String> read = new TreeSet<>();
        List<Map<String, String>> settings = List.of(Map.of(), Map.of("APP_ENV", "production"),
                Map.of("EMAIL_SERVICE", "gmail"), Map.of("EMAIL_SERVICE", "smtp"),
                Map.of("S3_BUCKET", "media", "S3_ENDPOINT", "https://account.r2.cloudflarestorage.com"),
                Map.of("DATABASE_URL", "postgresql://user:secret@db.example.com:5432/app"));
        for (Map<String, String> setting : settings) {
            Map<String, String> recording = new HashMap<>(setting) {
                @Override
                public String get(Object name) {
                    read.add((String) name);
                    return super.get(name);
                }
            };
            try {
                ConfigLoader.load(recording, new SecureRandom());
            } catch (ConfigException incomplete) {
                // Every variable was still read: the loader collects all problems before it refuses.
            }
        }
        String example = Files.readString(Path.of(".env.example"));
        // HOSTNAME is the platform's own variable, only read for the default INSTANCE_ID.
        read.remove("HOSTNAME");

        assertThat(read).hasSizeGreaterThan(70);
        for (String name : read) {
            assertThat(example).as(name).containsPattern("(?m)^(# )?" + name + "=");
        }
    }
}
