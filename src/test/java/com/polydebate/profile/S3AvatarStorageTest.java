package com.polydebate.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.S3Proxy;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Avatars stored in an S3 bucket (S3Proxy) and served from the unchanged {@code /uploads/avatars/{file}}. */
class S3AvatarStorageTest {
    private static final String PREFIX = "/uploads/avatars/";
    private final S3Proxy s3 = S3Proxy.shared();
    private final String bucket = s3.newBucket();
    private TestServer server;
    private TestServer restarted;

    @AfterEach
    void stop() {
        if (restarted != null) {
            restarted.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private TestServer.Builder builder() {
        return s3.configure(TestServer.builder(), bucket);
    }

    private static String upload(TestServer server, TestUser user, byte[] png) {
        TestResponse response = server.http().send(new MultipartBody().file("avatar", "me.png", "image/png", png)
                .applyTo(server.http().request("/api/auth/upload-avatar"), "POST")
                .header("Authorization", "Bearer " + user.token()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("avatar_url").asText();
    }

    private byte[] object(String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    @Test
    void an_uploaded_avatar_lands_in_the_bucket_not_on_disk_and_is_served_from_its_unchanged_url() {
        server = builder().start();
        TestUser user = server.newUser("Ada Lovelace");

        String url = upload(server, user, TestImages.png(800, 600));

        long seconds = server.clock().instant().getEpochSecond();
        assertThat(url).isEqualTo(PREFIX + "user" + user.id() + "_" + seconds + ".png");
        String key = "avatars/" + url.substring(PREFIX.length());
        assertThat(s3.keys(bucket)).containsExactly(key);
        assertThat(s3.client().headObject(b -> b.bucket(bucket).key(key)).contentType()).isEqualTo("image/png");
        assertThat(server.storage().resolve("avatars")).doesNotExist();

        TestResponse served = server.http().get(url);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("Content-Type")).contains("image/png");
        assertThat(served.header("Cache-Control").orElse("")).startsWith("public, max-age=");
        assertThat(served.bytes()).isEqualTo(object(key));
        assertThat(TestImages.decode(served.bytes()).getWidth()).isEqualTo(256);
    }

    @Test
    void a_second_upload_in_the_same_second_gets_a_new_name_and_the_old_object_is_removed() {
        server = builder().start();
        TestUser user = server.newUser("Ada Lovelace");

        String first = upload(server, user, TestImages.png(100, 100));
        String second = upload(server, user, TestImages.png(120, 90));

        assertThat(second).isNotEqualTo(first).startsWith(PREFIX + "user" + user.id() + "_");
        assertThat(s3.keys(bucket)).containsExactly("avatars/" + second.substring(PREFIX.length()));
        assertThat(server.http().get(first).errorCode()).isEqualTo("avatar_not_found");
        assertThat(server.http().get(second).status()).isEqualTo(200);
    }

    /** The restarted server reuses the first one's database (see S3AudioStorageTest) on a fresh directory. */
    @Test
    void an_avatar_survives_a_restart_on_an_empty_storage_directory_with_the_same_bucket() throws Exception {
        server = builder().start();
        TestUser user = server.newUser("Ada Lovelace");
        String url = upload(server, user, TestImages.png(300, 300));
        byte[] before = server.http().get(url).bytes();
        String databaseUrl = server.config().databaseUrl();
        server.close();
        server = null;

        Path fresh = Files.createTempDirectory("polydebate-fresh");
        restarted = builder().storage(fresh).env("DATABASE_URL", databaseUrl).start();

        TestResponse again = restarted.http().get(url);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.bytes()).isEqualTo(before);
        assertThat(restarted.http().get("/api/auth/profile", "Authorization", "Bearer " + user.token()).body())
                .contains(url);
        assertThat(fresh.resolve("avatars")).doesNotExist();
    }
}
