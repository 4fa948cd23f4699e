package dev.palaver.providers.speechhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavWriter;
import dev.palaver.providers.speechtest.Tones;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcmStreamDecoderTest {

    private static short[] decodeInPieces(PcmStreamDecoder d, byte[] wire, int piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < wire.length; at += piece) {
            append(out, d.decode(ByteBuffer.wrap(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + piece)))));
        }
        append(out, d.finish());
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.remaining() / 2];
        b.asShortBuffer().get(s);
        return s;
    }

    private static void append(ByteArrayOutputStream out, short[] s) {
        ByteBuffer b = ByteBuffer.allocate(s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(s);
        out.writeBytes(b.array());
    }

    @Test
    void sixteenKilohertzPassesThroughExactlyWhateverTheChunking() {
        short[] tone = Tones.sine(440, 16_000, 1601, 0.5);
        byte[] wire = Tones.bytes(tone);
        for (int piece : new int[] {1, 3, 7, 640, 1001, wire.length}) {
            assertThat(decodeInPieces(new PcmStreamDecoder(16_000), wire, piece)).as("pieces of %d", piece).isEqualTo(tone);
        }
    }

    @Test
    void resampledOutputDoesNotDependOnTheChunking() {
        byte[] wire = Tones.bytes(Tones.sine(700, 24_000, 7200, 0.5));
        short[] whole = decodeInPieces(new PcmStreamDecoder(24_000), wire, wire.length);
        for (int piece : new int[] {1, 5, 333, 4097}) {
            assertThat(decodeInPieces(new PcmStreamDecoder(24_000), wire, piece)).isEqualTo(whole);
        }
        assertThat(Tones.frequency(whole, 16_000, 300, 4500)).isCloseTo(700, Offset.offset(0.5));
    }

    @Test
    void finishFlushesTheFilterTailSoTheEndIsNotLost() {
        short[] tone = Tones.sine(500, 24_000, 24_000, 0.5);
        PcmStreamDecoder d = new PcmStreamDecoder(24_000);
        short[] body = d.decode(ByteBuffer.wrap(Tones.bytes(tone)));
        short[] tail = d.finish();
        // The output lags by the filter's delay: the last of the tone only comes out with the flush.
        assertThat(body.length).isEqualTo(16_000);
        assertThat(tail.length).isPositive();
        assertThat(Tones.rms(tail, 0, tail.length / 2)).isGreaterThan(0.2);
    }

    @Test
    void aDanglingOddByteIsDroppedAtTheEnd() {
        PcmStreamDecoder d = new PcmStreamDecoder(16_000);
        assertThat(d.decode(ByteBuffer.wrap(new byte[] {1, 0, 2, 0}))).containsExactly((short) 1, (short) 2);
        assertThat(d.decode(ByteBuffer.wrap(new byte[] {3}))).isEmpty();
        assertThat(d.finish()).isEmpty();
        assertThat(d.audioBytes()).isEqualTo(5);
    }

    @Test
    void aStreamTooShortToHoldAHeaderIsStillAudio() {
        PcmStreamDecoder d = new PcmStreamDecoder(16_000);
        assertThat(d.decode(ByteBuffer.wrap(new byte[] {5, 0}))).isEmpty();
        assertThat(d.finish()).containsExactly((short) 5);
        assertThat(d.samplesOut()).isEqualTo(1);
    }

    @Test
    void aWavHeaderIsStrippedAndItsRateUsed(@TempDir Path dir) throws Exception {
        short[] tone = Tones.sine(400, 8000, 4000, 0.5);
        Path wav = dir.resolve("t.wav");
        WavWriter.write(wav, WavAudio.pcm16(8000, 1, tone));
        byte[] file = Files.readAllBytes(wav);
        PcmStreamDecoder d = new PcmStreamDecoder(16_000);
        short[] out = decodeInPieces(d, file, 5);
        assertThat(d.inputRate()).isEqualTo(8000);
        assertThat(d.audioBytes()).isEqualTo(8000);
        assertThat(out.length).isBetween(8000, 8000 + 100);
        assertThat(Tones.frequency(out, 16_000, 300, 7700)).isCloseTo(400, Offset.offset(0.5));
    }

    @Test
    void aWavThatIsNotPcm16MonoIsRefused(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("s.wav");
        WavWriter.write(wav, WavAudio.pcm16(16_000, 2, new short[64]));
        byte[] file = Files.readAllBytes(wav);
        assertThatThrownBy(() -> new PcmStreamDecoder(16_000).decode(ByteBuffer.wrap(file)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 channels");
    }

    @Test
    void aHeaderThatNeverEndsIsRefusedNotBufferedForever() {
        ByteBuffer riff = ByteBuffer.allocate(PcmStreamDecoder.MAX_HEADER_BYTES + 100).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes()).putInt(-1).put("WAVE".getBytes()).put("LIST".getBytes()).putInt(1 << 20);
        assertThatThrownBy(() -> new PcmStreamDecoder(16_000).decode(riff.position(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("longer");
    }
}
