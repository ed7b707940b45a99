package com.polydebate.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AvatarImagesTest {

    @Test
    void formats_are_detected_from_magic_numbers() {
        assertThat(AvatarImages.detect(TestImages.png(10, 10))).contains(AvatarImages.Format.PNG);
        assertThat(AvatarImages.detect(TestImages.jpeg(10, 10))).contains(AvatarImages.Format.JPEG);
        assertThat(AvatarImages.detect(TestImages.gif(10, 10))).contains(AvatarImages.Format.GIF);
        assertThat(AvatarImages.detect("GIF8".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(AvatarImages.detect("hello, I am text".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(AvatarImages.detect(new byte[0])).isEmpty();
    }

    @Test
    void a_wide_image_becomes_its_256_pixel_centre_square() {
        AvatarImages.Avatar avatar = AvatarImages.process("avatar.png", TestImages.png(900, 300)).orElseThrow();

        BufferedImage result = TestImages.decode(avatar.bytes());
        assertThat(avatar.format()).isEqualTo(AvatarImages.Format.PNG);
        assertThat(result.getWidth()).isEqualTo(256);
        assertThat(result.getHeight()).isEqualTo(256);
        // The red side bands are cropped away: every corner of the result is green.
        for (int[] p : new int[][] {{0, 0}, {255, 0}, {0, 255}, {255, 255}, {128, 128}}) {
            Color c = new Color(result.getRGB(p[0], p[1]));
            assertThat(c.getGreen()).as("green at %s", Arrays.toString(p)).isGreaterThan(200);
            assertThat(c.getRed()).as("red at %s", Arrays.toString(p)).isLessThan(60);
        }
    }

    @Test
    void small_and_tall_images_are_scaled_up_or_cropped_to_256_square() {
        for (byte[] input : new byte[][] {TestImages.jpeg(40, 40), TestImages.gif(120, 700), TestImages.png(3000, 2000)}) {
            AvatarImages.Avatar avatar = AvatarImages.process("avatar.png", input).orElseThrow();
            BufferedImage result = TestImages.decode(avatar.bytes());
            assertThat(result.getWidth()).isEqualTo(256);
            assertThat(result.getHeight()).isEqualTo(256);
        }
    }

    @Test
    void transparency_is_kept_in_png() {
        BufferedImage transparent = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        AvatarImages.Avatar png = AvatarImages.process("avatar.png", TestImages.encode(transparent, "png")).orElseThrow();

        BufferedImage decoded = TestImages.decode(png.bytes());
        assertThat(decoded.getColorModel().hasAlpha()).isTrue();
        assertThat(decoded.getRGB(10, 10) >>> 24).isZero();
    }

    @Test
    void metadata_is_not_carried_over() {
        byte[] commented = TestImages.withJpegComment(TestImages.jpeg(300, 300), "gps-secret-location");
        assertThat(TestImages.decode(commented).getWidth()).isEqualTo(300);

        AvatarImages.Avatar avatar = AvatarImages.process("photo.jpg", commented).orElseThrow();

        assertThat(new String(avatar.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("gps-secret-location");
    }

    @Test
    void non_images_truncated_images_and_empty_input_are_refused() {
        byte[] png = TestImages.png(50, 50);
        byte[] garbage = new byte[2000];
        System.arraycopy(png, 0, garbage, 0, 16);
        Arrays.fill(garbage, 16, garbage.length, (byte) 0x5A);

        assertThat(AvatarImages.process("avatar.png", "just text".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(AvatarImages.process("avatar.png", garbage)).isEmpty();
        assertThat(AvatarImages.process("avatar.png", Arrays.copyOf(png, 8))).isEmpty();
        assertThat(AvatarImages.process("avatar.png", new byte[0])).isEmpty();
    }

    @Test
    void an_input_over_five_mebibytes_is_refused() {
        byte[] png = TestImages.png(20, 20);
        byte[] big = Arrays.copyOf(png, (int) AvatarImages.MAX_BYTES + 1);

        assertThat(AvatarImages.process("avatar.png", big)).isEmpty();
    }

    @Test
    void only_jpg_jpeg_png_and_gif_file_names_are_accepted_case_insensitively() {
        assertThat(AvatarImages.extension("Me.JPEG")).contains("jpeg");
        assertThat(AvatarImages.extension("me.Jpg")).contains("jpg");
        assertThat(AvatarImages.extension("a.b.GIF")).contains("gif");
        assertThat(AvatarImages.extension("me.webp")).isEmpty();
        assertThat(AvatarImages.extension("png")).isEmpty();
        assertThat(AvatarImages.extension("me.png.exe")).isEmpty();
        assertThat(AvatarImages.process("me.bmp", TestImages.png(20, 20))).isEmpty();
    }

    @Test
    void a_transparent_image_stored_as_jpeg_is_flattened_onto_white() {
        BufferedImage transparent = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);

        AvatarImages.Avatar jpeg = AvatarImages.process("me.jpeg", TestImages.encode(transparent, "png")).orElseThrow();

        assertThat(jpeg.format()).isEqualTo(AvatarImages.Format.JPEG);
        assertThat(jpeg.extension()).isEqualTo("jpeg");
        assertThat(AvatarImages.detect(jpeg.bytes())).contains(AvatarImages.Format.JPEG);
        Color corner = new Color(TestImages.decode(jpeg.bytes()).getRGB(10, 10));
        assertThat(corner.getRed()).isGreaterThan(240);
        assertThat(corner.getGreen()).isGreaterThan(240);
        assertThat(corner.getBlue()).isGreaterThan(240);
    }
}
