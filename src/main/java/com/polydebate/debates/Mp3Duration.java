package com.polydebate.debates;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Playing time of an MP3, measured from its MPEG audio frame headers (ID3v2 tag skipped): the sum of every
 * frame's samples over its sample rate. Empty when no run of valid frames is found.
 */
final class Mp3Duration {
    private static final int[][] BITRATES_V1 = {
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},   // layer I
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},      // layer II
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}};      // layer III
    private static final int[][] BITRATES_V2 = {
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},      // layer I
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},           // layers II and III
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};
    private static final int[][] SAMPLE_RATES = {
            {11025, 12000, 8000},   // MPEG 2.5
            {0, 0, 0},              // reserved
            {22050, 24000, 16000},  // MPEG 2
            {44100, 48000, 32000}}; // MPEG 1

    private Mp3Duration() {
    }

    /** Seconds with one decimal. */
    static Optional<Double> of(byte[] data) {
        int pos = id3v2Length(data);
        double seconds = 0;
        int frames = 0;
        while (pos + 4 <= data.length) {
            Frame frame = frameAt(data, pos);
            if (frame == null || pos + frame.length > data.length) {
                if (frames > 0 && frame != null) {
                    break;
                }
                pos++;
                continue;
            }
            seconds += (double) frame.samples / frame.sampleRate;
            frames++;
            pos += frame.length;
        }
        if (frames == 0) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(seconds).setScale(1, RoundingMode.HALF_UP).doubleValue());
    }

    private record Frame(int length, int samples, int sampleRate) {
    }

    private static Frame frameAt(byte[] data, int pos) {
        int b0 = data[pos] & 0xFF;
        int b1 = data[pos + 1] & 0xFF;
        int b2 = data[pos + 2] & 0xFF;
        if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) {
            return null;
        }
        int version = (b1 >> 3) & 0x3;   // 0 = 2.5, 1 = reserved, 2 = MPEG 2, 3 = MPEG 1
        int layerBits = (b1 >> 1) & 0x3; // 1 = III, 2 = II, 3 = I
        int bitrateIndex = (b2 >> 4) & 0xF;
        int rateIndex = (b2 >> 2) & 0x3;
        int padding = (b2 >> 1) & 0x1;
        if (version == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return null;
        }
        int layer = 4 - layerBits;
        int sampleRate = SAMPLE_RATES[version][rateIndex];
        int kbps = version == 3 ? BITRATES_V1[layer - 1][bitrateIndex]
                : BITRATES_V2[layer == 1 ? 0 : 1][bitrateIndex];
        int bitrate = kbps * 1000;
        int length;
        int samples;
        if (layer == 1) {
            length = (12 * bitrate / sampleRate + padding) * 4;
            samples = 384;
        } else if (layer == 2 || version == 3) {
            length = 144 * bitrate / sampleRate + padding;
            samples = 1152;
        } else {
            length = 72 * bitrate / sampleRate + padding;
            samples = 576;
        }
        return length < 4 ? null : new Frame(length, samples, sampleRate);
    }

    private static int id3v2Length(byte[] data) {
        if (data.length < 10 || data[0] != 'I' || data[1] != 'D' || data[2] != '3') {
            return 0;
        }
        int size = ((data[6] & 0x7F) << 21) | ((data[7] & 0x7F) << 14) | ((data[8] & 0x7F) << 7) | (data[9] & 0x7F);
        boolean footer = (data[5] & 0x10) != 0;
        return Math.min(data.length, 10 + size + (footer ? 10 : 0));
    }
}
