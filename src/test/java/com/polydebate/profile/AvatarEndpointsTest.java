package com.polydebate.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AvatarEndpointsTest {
    private static TestServer server;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestUser newUser() {
        return server.newUser("Ada Lovelace");
    }

    private static TestResponse upload(TestUser user, MultipartBody body) {
        return http.send(body.applyTo(http.request("/api/auth/upload-avatar"), "POST")
                .header("Authorization", "Bearer " + user.token()));
    }

    private static TestResponse upload(TestUser user, String fileName, String contentType, byte[] bytes) {
        return upload(user, new MultipartBody().file("avatar", fileName, contentType, bytes));
    }

    private static Path avatarDir() {
        return server.storage().resolve("avatars");
    }

    private static List<String> storedFiles() throws IOException {
        try (Stream<Path> files = Files.list(avatarDir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String storedAvatarUrl(TestUser user) {
        return server.jdbi().withHandle(h -> h.createQuery("SELECT avatar_url FROM users WHERE id = :id")
                .bind("id", user.id()).mapTo(String.class).one());
    }

    @Test
    void a_png_upload_is_stored_as_a_256_pixel_png_and_served_with_long_caching() {
        TestUser user = newUser();

        TestResponse response = upload(user, "me.png", "image/png", TestImages.png(800, 600));

        assertThat(response.status()).isEqualTo(200);
        String url = response.json().path("avatar_url").asText();
        long seconds = server.clock().instant().getEpochSecond();
        assertThat(url).isEqualTo("/uploads/avatars/user" + user.id() + "_" + seconds + ".png");
        assertThat(response.json().path("message").asText()).isEqualTo("Avatar updated");
        assertThat(storedAvatarUrl(user)).isEqualTo(url);

        TestResponse image = http.get(url);
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.header("Content-Type").orElseThrow()).startsWith("image/png");
        assertThat(image.header("Cache-Control")).contains("public, max-age=86400");
        assertThat(image.header("X-Content-Type-Options")).contains("nosniff");
        BufferedImage decoded = TestImages.decode(image.bytes());
        assertThat(decoded.getWidth()).isEqualTo(256);
        assertThat(decoded.getHeight()).isEqualTo(256);
        TestResponse head = http.get(url, "Range", "bytes=0-7");
        assertThat(head.status()).isEqualTo(206);
        assertThat(head.bytes()).containsExactly(java.util.Arrays.copyOf(image.bytes(), 8));
        assertThat(head.header("Content-Range").orElseThrow()).isEqualTo("bytes 0-7/" + image.bytes().length);
        TestResponse beyond = http.get(url, "Range", "bytes=" + image.bytes().length + "-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range").orElseThrow()).isEqualTo("bytes */" + image.bytes().length);
    }

    @Test
    void the_avatar_is_written_in_the_format_its_file_extension_names_whatever_the_content_format() {
        TestUser user = newUser();

        TestResponse png = upload(user, "holiday.PNG", "image/png",
                TestImages.withJpegComment(TestImages.jpeg(300, 500), "camera-serial-123"));
        assertThat(png.status()).isEqualTo(200);
        String pngUrl = png.json().path("avatar_url").asText();
        assertThat(pngUrl).endsWith(".png");
        TestResponse served = http.get(pngUrl);
        assertThat(served.header("Content-Type").orElseThrow()).startsWith("image/png");
        assertThat(AvatarImages.detect(served.bytes())).contains(AvatarImages.Format.PNG);
        assertThat(TestImages.decode(served.bytes()).getWidth()).isEqualTo(256);
        assertThat(new String(served.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("camera-serial-123");

        server.clock().advance(Duration.ofSeconds(1));
        TestResponse jpeg = upload(user, "anim.jpeg", "application/octet-stream", TestImages.gif(64, 64));
        assertThat(jpeg.status()).isEqualTo(200);
        String jpegUrl = jpeg.json().path("avatar_url").asText();
        assertThat(jpegUrl).endsWith(".jpeg");
        TestResponse servedJpeg = http.get(jpegUrl);
        assertThat(servedJpeg.header("Content-Type").orElseThrow()).startsWith("image/jpeg");
        assertThat(AvatarImages.detect(servedJpeg.bytes())).contains(AvatarImages.Format.JPEG);
        BufferedImage decoded = TestImages.decode(servedJpeg.bytes());
        assertThat(decoded.getWidth()).isEqualTo(256);
        assertThat(decoded.getHeight()).isEqualTo(256);

        server.clock().advance(Duration.ofSeconds(1));
        TestResponse gif = upload(user, "me.gif", "image/gif", TestImages.png(40, 40));
        assertThat(gif.json().path("avatar_url").asText()).endsWith(".gif");
        assertThat(AvatarImages.detect(http.get(gif.json().path("avatar_url").asText()).bytes()))
                .contains(AvatarImages.Format.GIF);
    }

    @Test
    void a_file_name_without_a_jpg_jpeg_png_or_gif_extension_is_upload_failed_even_with_image_content() {
        TestUser user = newUser();

        for (String name : List.of("anim", "photo.webp", "picture.png.exe", "png")) {
            TestResponse response = upload(user, name, "image/png", TestImages.png(64, 64));

            assertThat(response.status()).as(name).isEqualTo(400);
            assertThat(response.errorCode()).as(name).isEqualTo("upload_failed");
        }
        assertThat(storedAvatarUrl(user)).isNull();
    }

    @Test
    void a_second_upload_replaces_the_file_and_removes_the_previous_one() throws IOException {
        TestUser user = newUser();
        String first = upload(user, "a.png", "image/png", TestImages.png(100, 100)).json().path("avatar_url").asText();
        String firstFile = first.substring("/uploads/avatars/".length());
        assertThat(storedFiles()).contains(firstFile);

        // Same second: the server adds a suffix instead of overwriting.
        String second = upload(user, "b.png", "image/png", TestImages.png(120, 90)).json().path("avatar_url").asText();

        assertThat(second).isNotEqualTo(first).startsWith("/uploads/avatars/user" + user.id() + "_");
        assertThat(storedFiles()).doesNotContain(firstFile).contains(second.substring("/uploads/avatars/".length()));
        assertThat(http.get(first).errorCode()).isEqualTo("avatar_not_found");
        assertThat(http.get(second).status()).isEqualTo(200);
        assertThat(storedAvatarUrl(user)).isEqualTo(second);
        assertThat(storedFiles()).noneMatch(name -> name.startsWith("."));
    }

    @Test
    void content_that_is_not_a_real_image_is_refused_and_nothing_changes() throws IOException {
        TestUser user = newUser();
        byte[] png = TestImages.png(50, 50);
        byte[] headerThenGarbage = Arrays.copyOf(png, 4000);
        Arrays.fill(headerThenGarbage, 16, headerThenGarbage.length, (byte) 0x41);
        List<String> before = storedFiles();

        for (byte[] content : new byte[][] {
                "this is just text, not a picture".getBytes(StandardCharsets.UTF_8),
                headerThenGarbage,
                new byte[0]}) {
            TestResponse response = upload(user, "picture.png", "image/png", content);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("upload_failed");
        }

        assertThat(storedAvatarUrl(user)).isNull();
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void a_file_over_five_mebibytes_is_upload_failed_and_a_body_over_six_is_413() throws IOException {
        TestUser user = newUser();
        byte[] png = TestImages.png(20, 20);

        TestResponse overFive = upload(user, "big.png", "image/png", Arrays.copyOf(png, 5 * 1024 * 1024 + 100));
        MultipartBody huge = new MultipartBody()
                .file("avatar", "huge.png", "image/png", Arrays.copyOf(png, 6 * 1024 * 1024 + 100));
        RawHttp.Answer overSix = RawHttp.send(server.app().port(),
                "POST /api/auth/upload-avatar HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + user.token() + "\r\n"
                        + "Content-Type: " + huge.contentType() + "\r\n"
                        + "Content-Length: " + huge.bytes().length + "\r\n\r\n",
                huge.bytes());

        assertThat(overFive.status()).isEqualTo(400);
        assertThat(overFive.errorCode()).isEqualTo("upload_failed");
        try (Stream<Path> spooled = Files.list(server.storage().resolve("upload-tmp"))) {
            assertThat(spooled).as("spooled multipart parts are removed").isEmpty();
        }
        assertThat(overSix.status()).isEqualTo(413);
        assertThat(overSix.body()).contains("\"payload_too_large\"");
    }

    @Test
    void an_oversized_body_without_a_content_length_is_refused_too() {
        TestUser user = newUser();
        MultipartBody body = new MultipartBody()
                .file("avatar", "huge.png", "image/png", Arrays.copyOf(TestImages.png(20, 20), 6 * 1024 * 1024 + 16 * 1024));
        byte[] bytes = body.bytes();
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int offset = 0; offset < bytes.length; offset += 64 * 1024) {
            int length = Math.min(64 * 1024, bytes.length - offset);
            chunked.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(bytes, offset, length);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        RawHttp.Answer response = RawHttp.send(server.app().port(),
                "POST /api/auth/upload-avatar HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + user.token() + "\r\n"
                        + "Content-Type: " + body.contentType() + "\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n",
                chunked.toByteArray());

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("\"payload_too_large\"");
        assertThat(storedAvatarUrl(user)).isNull();
    }

    @Test
    void a_missing_file_or_an_empty_file_name_is_no_file() {
        TestUser user = newUser();

        TestResponse noPart = upload(user, new MultipartBody().field("other", "x"));
        TestResponse emptyName = upload(user, new MultipartBody().file("avatar", "", "image/png", TestImages.png(10, 10)));
        TestResponse plainField = upload(user, new MultipartBody().field("avatar", "not a file"));

        for (TestResponse response : List.of(noPart, emptyName, plainField)) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("no_file");
        }
    }

    @Test
    void malformed_or_non_multipart_bodies_are_400_never_500() {
        TestUser user = newUser();
        String[] auth = user.auth();

        TestResponse json = http.post("/api/auth/upload-avatar", "{\"avatar\":\"x\"}", auth);
        TestResponse noBoundary = http.send(http.request("/api/auth/upload-avatar")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--x--\r\n"))
                .header("Content-Type", "multipart/form-data")
                .header("Authorization", auth[1]));
        TestResponse garbage = http.send(http.request("/api/auth/upload-avatar")
                .POST(HttpRequest.BodyPublishers.ofString("this is not multipart at all"))
                .header("Content-Type", "multipart/form-data; boundary=abc")
                .header("Authorization", auth[1]));
        TestResponse truncated = http.send(http.request("/api/auth/upload-avatar")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "--abc\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\n\r\n\u0089PNG"))
                .header("Content-Type", "multipart/form-data; boundary=abc")
                .header("Authorization", auth[1]));
        TestResponse empty = http.send(http.request("/api/auth/upload-avatar")
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "multipart/form-data; boundary=abc")
                .header("Authorization", auth[1]));

        for (TestResponse response : List.of(json, noBoundary, garbage, truncated, empty)) {
            assertThat(response.status()).as(response.body()).isBetween(400, 499);
            assertThat(response.json().path("error").path("code").asText()).isNotBlank();
        }
        assertThat(json.errorCode()).isEqualTo("validation_error");
    }

    @Test
    void upload_requires_a_token() {
        MultipartBody body = new MultipartBody().file("avatar", "a.png", "image/png", TestImages.png(10, 10));

        TestResponse response = http.send(body.applyTo(http.request("/api/auth/upload-avatar"), "POST"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("unauthorized");
    }

    @Test
    void unsafe_avatar_names_are_refused_and_unknown_ones_are_404() {
        for (String name : new String[] {"..%2F..%2Fetc%2Fpasswd", "x.png.exe", "..png", "a%20b.png", "evil.svg",
                "%2e%2e%2fsecret.png"}) {
            TestResponse response = http.get("/uploads/avatars/" + name);
            assertThat(response.status()).as(name).isBetween(400, 404);
            assertThat(response.json().path("error").path("code").asText()).as(name)
                    .isIn("invalid_filename", "not_found");
        }
        assertThat(http.get("/uploads/avatars/x.png.exe").errorCode()).isEqualTo("invalid_filename");
        assertThat(http.get("/uploads/avatars/..%2F..%2Fetc%2Fpasswd").status()).isEqualTo(400);
        TestResponse nested = http.get("/uploads/avatars/a/b.png");
        assertThat(nested.status()).isEqualTo(404);
        assertThat(nested.errorCode()).isEqualTo("not_found");
        TestResponse missing = http.get("/uploads/avatars/user1_1.png");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("avatar_not_found");
    }

    @Test
    void the_profile_shows_the_new_avatar_url() {
        TestUser user = newUser();
        String url = upload(user, "me.gif", "image/gif", TestImages.gif(30, 30)).json().path("avatar_url").asText();

        JsonNode profile = http.get("/api/auth/profile", user.auth()).json();

        assertThat(profile.path("user").path("avatar_url").asText()).isEqualTo(url);
    }
}
