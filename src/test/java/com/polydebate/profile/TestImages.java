package com.polydebate.profile;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Real images generated with ImageIO for upload tests. */
final class TestImages {
    private TestImages() {
    }

    /** A red–green–red image whose centre square is green, so a centre crop is all green. */
    static BufferedImage stripes(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width, height);
        int side = Math.min(width, height);
        g.setColor(Color.GREEN);
        g.fillRect((width - side) / 2, (height - side) / 2, side, side);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] png(int width, int height) {
        return encode(stripes(width, height, BufferedImage.TYPE_INT_ARGB), "png");
    }

    static byte[] jpeg(int width, int height) {
        return encode(stripes(width, height, BufferedImage.TYPE_INT_RGB), "jpg");
    }

    static byte[] gif(int width, int height) {
        return encode(stripes(width, height, BufferedImage.TYPE_INT_RGB), "gif");
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("Not an image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inserts a JPEG comment segment right after the start-of-image marker. */
    static byte[] withJpegComment(byte[] jpeg, String comment) {
        byte[] text = comment.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int length = text.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xFE);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(text);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
