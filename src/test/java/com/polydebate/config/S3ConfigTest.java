package com.polydebate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3ConfigTest {
    private static Config load(Map<String, String> vars) {
        return ConfigLoader.load(vars, new SecureRandom());
    }

    @Test
    void without_s3_bucket_blobs_stay_on_the_local_disk() {
        assertThat(load(Map.of()).s3()).isEmpty();
    }

    @Test
    void an_r2_bucket_defaults_to_region_auto_and_keeps_every_setting() {
        S3Settings s3 = load(Map.of("S3_BUCKET", "polydebate-media",
                "S3_ENDPOINT", "https://0123abcd.r2.cloudflarestorage.com/",
                "S3_ACCESS_KEY_ID", "key-id", "S3_SECRET_ACCESS_KEY", "top-secret-value",
                "S3_PREFIX", "/prod/")).s3().orElseThrow();

        assertThat(s3.bucket()).isEqualTo("polydebate-media");
        assertThat(s3.endpoint()).contains(URI.create("https://0123abcd.r2.cloudflarestorage.com"));
        assertThat(s3.region()).isEqualTo("auto");
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.prefix()).isEqualTo("prod/");
        assertThat(s3.accessKeyId()).contains("key-id");
        assertThat(s3.toString()).doesNotContain("top-secret-value");
    }

    @Test
    void another_endpoint_defaults_to_us_east_1_and_path_style_can_be_asked_for() {
        S3Settings s3 = load(Map.of("S3_BUCKET", "media", "S3_ENDPOINT", "http://minio:9000",
                "S3_PATH_STYLE", "true")).s3().orElseThrow();

        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.prefix()).isEmpty();
        assertThat(s3.accessKeyId()).as("the AWS default credential chain").isEmpty();
        assertThat(load(Map.of("S3_BUCKET", "media", "S3_REGION", "eu-west-3")).s3().orElseThrow().region())
                .isEqualTo("eu-west-3");
    }

    @Test
    void half_a_key_pair_a_bad_endpoint_or_bucket_and_settings_without_a_bucket_are_listed_at_once() {
        assertThatThrownBy(() -> load(Map.of("S3_BUCKET", "Not_A_Bucket", "S3_ENDPOINT", "ftp://x",
                "S3_SECRET_ACCESS_KEY", "top-secret-value", "S3_PREFIX", "a/../b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("S3_BUCKET must be a bucket name")
                .hasMessageContaining("S3_ENDPOINT must be an http(s) URL")
                .hasMessageContaining("Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY")
                .hasMessageContaining("S3_PREFIX must be")
                .hasMessageNotContaining("top-secret-value");
        assertThatThrownBy(() -> load(Map.of("S3_ENDPOINT", "https://x.r2.cloudflarestorage.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("S3_ENDPOINT is set but S3_BUCKET is not");
    }
}
