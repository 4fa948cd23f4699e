package dev.palaver.media.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-frame paths allocate nothing. A path that allocated even one small array per call would
 * show tens of kilobytes over these runs; the bound leaves room only for measurement noise.
 */
class AllocationTest {
    private static final int FRAMES = 500;
    private static final long NOISE_BYTES = 2048;

    private final short[] frame = Signals.whiteNoise(AudioFormat.SAMPLES_PER_FRAME, 3000, 1);
    private final byte[] bytes = new byte[2 * AudioFormat.SAMPLES_PER_FRAME];
    private final short[] samples = new short[AudioFormat.SAMPLES_PER_FRAME];

    @Test
    void codecsAndByteConversionDoNotAllocate() throws Exception {
        assertThat(Allocations.bytesAllocated(FRAMES, () -> {
            MuLaw.encode(frame, 0, bytes, 0, frame.length);
            MuLaw.decode(bytes, 0, samples, 0, frame.length);
            ALaw.encode(frame, 0, bytes, 0, frame.length);
            ALaw.decode(bytes, 0, samples, 0, frame.length);
            Pcm16.toBytes(frame, 0, bytes, 0, frame.length);
            Pcm16.toSamples(bytes, 0, samples, 0, frame.length);
        })).isLessThan(NOISE_BYTES);
    }

    @Test
    void resamplingDoesNotAllocate() throws Exception {
        Resampler down = new Resampler(16_000, 8000);
        Resampler up = new Resampler(16_000, 48_000);
        short[] out = new short[up.maxOutputLength(frame.length)];
        assertThat(Allocations.bytesAllocated(FRAMES, () -> {
            down.process(frame, 0, frame.length, out, 0);
            up.process(frame, 0, frame.length, out, 0);
        })).isLessThan(NOISE_BYTES);
    }

    @Test
    void framingDoesNotAllocate() throws Exception {
        int[] frames = new int[1];
        Framer framer = new Framer(320, f -> frames[0]++);
        assertThat(Allocations.bytesAllocated(FRAMES, () -> framer.push(frame, 7, 250))).isLessThan(NOISE_BYTES);
        assertThat(frames[0]).isPositive();
    }

    @Test
    void recordingDoesNotAllocatePerFrame(@TempDir Path dir) throws Exception {
        try (WavWriter writer = WavWriter.create(dir.resolve("call.wav"), 16_000, 2)) {
            assertThat(Allocations.bytesAllocated(FRAMES, () -> writer.writeStereo(frame, 0, null, 0, frame.length)))
                    .isLessThan(NOISE_BYTES);
        }
    }
}
