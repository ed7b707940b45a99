package com.polydebate.profile;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Avatar validation and re-encoding (§16.3). The upload's file name must end in jpg, jpeg, png or gif, and
 * that extension picks the stored format; the bytes are judged on their own (magic number, then a full
 * decode with that format's reader), the declared content type is never trusted. Re-encoding to a fresh
 * 256×256 image in the extension's format drops every piece of metadata the upload carried.
 */
final class AvatarImages {
    static final int SIZE = 256;
    static final long MAX_BYTES = 5L * 1024 * 1024;
    /** Refuses pixel bombs: a small compressed file that declares an enormous canvas. */
    private static final long MAX_SOURCE_PIXELS = 50_000_000L;

    enum Format {
        JPEG(List.of("jpg", "jpeg"), "image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
        PNG(List.of("png"), "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}),
        GIF(List.of("gif"), "image/gif", new byte[] {'G', 'I', 'F', '8'});

        private final List<String> extensions;
        final String contentType;
        private final byte[] magic;

        Format(List<String> extensions, String contentType, byte[] magic) {
            this.extensions = extensions;
            this.contentType = contentType;
            this.magic = magic;
        }

        private boolean matches(byte[] data) {
            if (data.length < magic.length + (this == GIF ? 2 : 0)) {
                return false;
            }
            if (!Arrays.equals(data, 0, magic.length, magic, 0, magic.length)) {
                return false;
            }
            // GIF87a or GIF89a
            return this != GIF || ((data[4] == '7' || data[4] == '9') && data[5] == 'a');
        }

        private String ioName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A re-encoded avatar ready to be stored under the upload's (lower-cased) extension. */
    record Avatar(Format format, String extension, byte[] bytes) {
    }

    private AvatarImages() {
    }

    static Optional<Format> detect(byte[] data) {
        return Arrays.stream(Format.values()).filter(f -> f.matches(data)).findFirst();
    }

    /** The lower-cased extension of an upload's file name when it is one of jpg, jpeg, png, gif. */
    static Optional<String> extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Arrays.stream(Format.values()).anyMatch(f -> f.extensions.contains(extension))
                ? Optional.of(extension) : Optional.empty();
    }

    /**
     * The image re-encoded as a 256×256 centre crop in the format its file name's extension names; empty
     * when the name has no image extension or the bytes are not a valid JPG, PNG or GIF.
     */
    static Optional<Avatar> process(String fileName, byte[] data) {
        Optional<String> extension = extension(fileName);
        if (extension.isEmpty() || data.length == 0 || data.length > MAX_BYTES) {
            return Optional.empty();
        }
        Format target = Arrays.stream(Format.values()).filter(f -> f.extensions.contains(extension.get()))
                .findFirst().orElseThrow();
        Optional<Format> source = detect(data);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        return decodeCentreSquare(data, source.get())
                .map(square -> new Avatar(target, extension.get(), encode(resize(square, target), target)));
    }

    private static Optional<BufferedImage> decodeCentreSquare(byte[] data, Format format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.ioName());
        if (!readers.hasNext()) {
            return Optional.empty();
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0 || (long) width * height > MAX_SOURCE_PIXELS) {
                return Optional.empty();
            }
            int side = Math.min(width, height);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(new Rectangle((width - side) / 2, (height - side) / 2, side, side));
            // Decoding a huge photo at full resolution only to shrink it to 256 px wastes memory.
            int step = Math.max(1, side / (SIZE * 2));
            param.setSourceSubsampling(step, step, 0, 0);
            return Optional.ofNullable(reader.read(0, param));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage resize(BufferedImage source, Format format) {
        BufferedImage current = source;
        // Halving in steps keeps a downscale sharp without the aliasing of one big bilinear jump.
        while (Math.min(current.getWidth(), current.getHeight()) >= SIZE * 2) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2, BufferedImage.TYPE_INT_ARGB, null);
        }
        return format == Format.JPEG
                ? draw(current, SIZE, SIZE, BufferedImage.TYPE_INT_RGB, Color.WHITE)
                : draw(current, SIZE, SIZE, BufferedImage.TYPE_INT_ARGB, null);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, int type, Color background) {
        BufferedImage target = new BufferedImage(width, height, type);
        Graphics2D g = target.createGraphics();
        try {
            if (background != null) {
                g.setColor(background);
                g.fillRect(0, 0, width, height);
            }
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    private static byte[] encode(BufferedImage image, Format format) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format.ioName()).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == Format.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.9f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a " + format + " avatar", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
