package dev.palaver.media.audio;

import java.util.Objects;

/**
 * G.711 μ-law (the telephone codec in North America and Japan, and Twilio Media Streams' payload):
 * 8-bit codes to and from PCM16. Both directions are table lookups; the tables are built once from the
 * reference algorithm (Sun Microsystems' public-domain g711.c).
 */
public final class MuLaw {
    /** Largest magnitude a μ-law code decodes to. */
    public static final int MAX_MAGNITUDE = 32_124;

    private static final int BIAS = 0x84;
    private static final int CLIP = 32_635;
    private static final short[] DECODE = new short[256];
    private static final byte[] ENCODE = new byte[65_536];

    static {
        for (int code = 0; code < 256; code++) {
            DECODE[code] = (short) referenceDecode(code);
        }
        for (int sample = Short.MIN_VALUE; sample <= Short.MAX_VALUE; sample++) {
            ENCODE[sample & 0xFFFF] = (byte) referenceEncode(sample);
        }
    }

    private MuLaw() {
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
        int sign = 0;
        int magnitude = sample;
        if (magnitude < 0) {
            sign = 0x80;
            magnitude = -magnitude;
        }
        magnitude = Math.min(magnitude, CLIP) + BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return ~(sign | (exponent << 4) | mantissa) & 0xFF;
    }

    private static int referenceDecode(int code) {
        int inverted = ~code & 0xFF;
        int magnitude = (((inverted & 0x0F) << 3) + BIAS) << ((inverted & 0x70) >> 4);
        return (inverted & 0x80) != 0 ? BIAS - magnitude : magnitude - BIAS;
    }
}
