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
        AvatarImages.Avatar avatar = AvatarImages.process(TestImages.png(900, 300)).orElseThrow();

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
            AvatarImages.Avatar avatar = AvatarImages.process(input).orElseThrow();
            BufferedImage result = TestImages.decode(avatar.bytes());
            assertThat(result.getWidth()).isEqualTo(256);
            assertThat(result.getHeight()).isEqualTo(256);
        }
    }

    @Test
    void transparency_is_kept_in_png() {
        BufferedImage transparent = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        AvatarImages.Avatar png = AvatarImages.process(TestImages.encode(transparent, "png")).orElseThrow();

        BufferedImage decoded = TestImages.decode(png.bytes());
        assertThat(decoded.getColorModel().hasAlpha()).isTrue();
        assertThat(decoded.getRGB(10, 10) >>> 24).isZero();
    }

    @Test
    void metadata_is_not_carried_over() {
        byte[] commented = TestImages.withJpegComment(TestImages.jpeg(300, 300), "gps-secret-location");
        assertThat(TestImages.decode(commented).getWidth()).isEqualTo(300);

        AvatarImages.Avatar avatar = AvatarImages.process(commented).orElseThrow();

        assertThat(new String(avatar.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("gps-secret-location");
    }

    @Test
    void non_images_truncated_images_and_empty_input_are_refused() {
        byte[] png = TestImages.png(50, 50);
        byte[] garbage = new byte[2000];
        System.arraycopy(png, 0, garbage, 0, 16);
        Arrays.fill(garbage, 16, garbage.length, (byte) 0x5A);

        assertThat(AvatarImages.process("just text".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(AvatarImages.process(garbage)).isEmpty();
        assertThat(AvatarImages.process(Arrays.copyOf(png, 8))).isEmpty();
        assertThat(AvatarImages.process(new byte[0])).isEmpty();
    }

    @Test
    void an_input_over_five_mebibytes_is_refused() {
        byte[] png = TestImages.png(20, 20);
        byte[] big = Arrays.copyOf(png, (int) AvatarImages.MAX_BYTES + 1);

        assertThat(AvatarImages.process(big)).isEmpty();
    }
}
