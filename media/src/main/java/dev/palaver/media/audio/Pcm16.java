package dev.palaver.media.audio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/** PCM16 little-endian bytes (WAV, browser and most vendor wire formats) to and from samples. */
public final class Pcm16 {
    private static final VarHandle LITTLE_ENDIAN_SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private Pcm16() {
    }

    /** Reads {@code samples} samples from {@code src[srcOffset..]} (2 bytes each) into {@code dst[dstOffset..]}. */
    public static void toSamples(byte[] src, int srcOffset, short[] dst, int dstOffset, int samples) {
        Objects.checkFromIndexSize(srcOffset, samples * 2, src.length);
        Objects.checkFromIndexSize(dstOffset, samples, dst.length);
        for (int i = 0; i < samples; i++) {
            dst[dstOffset + i] = (short) LITTLE_ENDIAN_SHORT.get(src, srcOffset + 2 * i);
        }
    }

    /** Writes {@code samples} samples from {@code src[srcOffset..]} as 2 bytes each into {@code dst[dstOffset..]}. */
    public static void toBytes(short[] src, int srcOffset, byte[] dst, int dstOffset, int samples) {
        Objects.checkFromIndexSize(srcOffset, samples, src.length);
        Objects.checkFromIndexSize(dstOffset, samples * 2, dst.length);
        for (int i = 0; i < samples; i++) {
            LITTLE_ENDIAN_SHORT.set(dst, dstOffset + 2 * i, src[srcOffset + i]);
        }
    }
}
