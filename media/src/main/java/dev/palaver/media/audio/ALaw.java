package dev.palaver.media.audio;

import java.util.Objects;

/**
 * G.711 A-law (the telephone codec outside North America and Japan): 8-bit codes to and from PCM16.
 * Both directions are table lookups; the tables are built once from the reference algorithm (Sun
 * Microsystems' public-domain g711.c). Codes are the transmitted ones, even bits already inverted (0xD5
 * is zero).
 */
public final class ALaw {
    /** Largest magnitude an A-law code decodes to. */
    public static final int MAX_MAGNITUDE = 32_256;

    private static final short[] DECODE = new short[256];
    private static final byte[] ENCODE = new byte[65_536];
    private static final int[] SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};

    static {
        for (int code = 0; code < 256; code++) {
            DECODE[code] = (short) referenceDecode(code);
        }
        for (int sample = Short.MIN_VALUE; sample <= Short.MAX_VALUE; sample++) {
            ENCODE[sample & 0xFFFF] = (byte) referenceEncode(sample);
        }
    }

    private ALaw() {
    }

    public static byte encode(short sample) {
        return ENCODE[sample & 0xFFFF];
    }

    public static short decode(byte code) {
        return DECODE[code & 0xFF];
    }

    /** Encodes {@code length} samples from {@code src[srcOffset..]} into {@code dst[dstOffset..]}. */
    public static void encode(short[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = ENCODE[src[srcOffset + i] & 0xFFFF];
        }
    }

    /** Decodes {@code length} codes from {@code src[srcOffset..]} into {@code dst[dstOffset..]}. */
    public static void decode(byte[] src, int srcOffset, short[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = DECODE[src[srcOffset + i] & 0xFF];
        }
    }

    private static int referenceEncode(int sample) {
        int value = sample >> 3;
        int mask;
        if (value >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            value = -value - 1;
        }
        int segment = 0;
        while (segment < 8 && value > SEGMENT_END[segment]) {
            segment++;
        }
        if (segment == 8) {
            return 0x7F ^ mask;
        }
        int quantised = segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return ((segment << 4) | quantised) ^ mask;
    }

    private static int referenceDecode(int code) {
        int value = code ^ 0x55;
        int magnitude = (value & 0x0F) << 4;
        int segment = (value & 0x70) >> 4;
        magnitude += 8;
        if (segment >= 1) {
            magnitude += 0x100;
        }
        if (segment > 1) {
            magnitude <<= segment - 1;
        }
        return (value & 0x80) != 0 ? magnitude : -magnitude;
    }
}
