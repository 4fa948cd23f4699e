package dev.palaver.media.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {
    @TempDir
    Path dir;

    @Test
    void monoPcm16RoundTripsWithACanonicalHeader() throws IOException {
        short[] samples = Signals.whiteNoise(16_000, 5000, 1);
        Path file = dir.resolve("mono.wav");
        WavWriter.write(file, WavAudio.pcm16(16_000, 1, samples));

        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(44 + 32_000);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(header.getInt(4)).isEqualTo(36 + 32_000);
        assertThat(new String(bytes, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(header.getInt(16)).isEqualTo(16);
        assertThat(header.getShort(20)).isEqualTo((short) 1);
        assertThat(header.getShort(22)).isEqualTo((short) 1);
        assertThat(header.getInt(24)).isEqualTo(16_000);
        assertThat(header.getInt(28)).isEqualTo(32_000);
        assertThat(header.getShort(32)).isEqualTo((short) 2);
        assertThat(header.getShort(34)).isEqualTo((short) 16);
        assertThat(new String(bytes, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(header.getInt(40)).isEqualTo(32_000);

        WavAudio read = WavReader.read(file);
        assertThat(read.sampleRate()).isEqualTo(16_000);
        assertThat(read.channels()).isEqualTo(1);
        assertThat(read.sourceEncoding()).isEqualTo(WavAudio.Encoding.PCM16);
        assertThat(read.samples()).isEqualTo(samples);
        assertThat(read.durationSeconds()).isEqualTo(1.0);
    }

    @Test
    void stereoAtAnyRateRoundTripsAndTheJdkReadsItToo() throws IOException, UnsupportedAudioFileException {
        short[] interleaved = Signals.whiteNoise(2 * 4410, 5000, 2);
        Path file = dir.resolve("stereo.wav");
        WavWriter.write(file, WavAudio.pcm16(44_100, 2, interleaved));

        WavAudio read = WavReader.read(file);
        assertThat(read.sampleRate()).isEqualTo(44_100);
        assertThat(read.channels()).isEqualTo(2);
        assertThat(read.frames()).isEqualTo(4410);
        assertThat(read.samples()).isEqualTo(interleaved);

        try (AudioInputStream jdk = AudioSystem.getAudioInputStream(file.toFile())) {
            assertThat(jdk.getFormat().getSampleRate()).isEqualTo(44_100f);
            assertThat(jdk.getFormat().getChannels()).isEqualTo(2);
            assertThat(jdk.getFrameLength()).isEqualTo(4410);
            byte[] pcm = jdk.readAllBytes();
            short[] samples = new short[pcm.length / 2];
            Pcm16.toSamples(pcm, 0, samples, 0, samples.length);
            assertThat(samples).isEqualTo(interleaved);
        }
    }

    @Test
    void callRecordingPutsCallerLeftAndAgentRightWithSilenceWhereASideIsMissing() throws IOException {
        int frame = AudioFormat.SAMPLES_PER_FRAME;
        short[] caller = Signals.sine(16_000, 300, 8000, 0.2);
        short[] agent = Signals.sine(16_000, 900, 8000, 0.2);
        Path file = dir.resolve("call.wav");
        try (WavWriter writer = WavWriter.create(file, 16_000, 2)) {
            for (int f = 0; f < 10; f++) {
                boolean agentSpeaking = f >= 4 && f < 8;
                writer.writeStereo(caller, f * frame, agentSpeaking ? agent : null, f * frame, frame);
            }
            assertThat(writer.framesWritten()).isEqualTo(10L * frame);
        }

        WavAudio read = WavReader.read(file);
        assertThat(read.channels()).isEqualTo(2);
        assertThat(read.channel(0)).isEqualTo(Arrays.copyOf(caller, 10 * frame));
        short[] expectedAgent = new short[10 * frame];
        System.arraycopy(agent, 4 * frame, expectedAgent, 4 * frame, 4 * frame);
        assertThat(read.channel(1)).isEqualTo(expectedAgent);
    }

    @Test
    void aWriterThatNeverClosesLeavesAReadableFileWhoseHeaderCanBeRepaired()
            throws IOException, UnsupportedAudioFileException {
        short[] caller = Signals.whiteNoise(48_000, 3000, 3);
        short[] agent = Signals.whiteNoise(48_000, 3000, 4);
        Path file = dir.resolve("crashed.wav");
        WavWriter writer = WavWriter.create(file, 16_000, 2);
        try {
            writer.writeStereo(caller, 0, agent, 0, caller.length);
            // The writer is abandoned here, as by a crash: part of the audio reached the file, the header
            // still says "unknown size".
            long onDisk = (Files.size(file) - 44) / 4;
            assertThat(onDisk).isPositive().isLessThan(caller.length);

            WavAudio beforeRepair = WavReader.read(file);
            assertThat(beforeRepair.frames()).isEqualTo((int) onDisk);
            assertThat(beforeRepair.channel(0)).isEqualTo(Arrays.copyOf(caller, (int) onDisk));
            assertThat(beforeRepair.channel(1)).isEqualTo(Arrays.copyOf(agent, (int) onDisk));

            assertThat(WavWriter.repair(file)).isEqualTo(onDisk);
            ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(header.getInt(40)).isEqualTo((int) onDisk * 4);
            assertThat(header.getInt(4)).isEqualTo((int) onDisk * 4 + 36);
            try (AudioInputStream jdk = AudioSystem.getAudioInputStream(file.toFile())) {
                assertThat(jdk.getFrameLength()).isEqualTo(onDisk);
            }
        } finally {
            writer.close();
        }
    }

    @Test
    void repairCutsOffATornLastFrame() throws IOException {
        Path file = dir.resolve("torn.wav");
        try (WavWriter writer = WavWriter.create(file, 8000, 2)) {
            writer.write(new short[] {1, 2, 3, 4}, 0, 4);
        }
        Files.write(file, new byte[] {9, 9, 9}, java.nio.file.StandardOpenOption.APPEND);
        assertThat(WavWriter.repair(file)).isEqualTo(2);
        assertThat(Files.size(file)).isEqualTo(44 + 8);
        assertThat(WavReader.read(file).samples()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void flushMakesTheHeaderMatchWhatWasWrittenSoFar() throws IOException {
        Path file = dir.resolve("flushed.wav");
        try (WavWriter writer = WavWriter.create(file, 16_000, 1)) {
            writer.write(new short[320], 0, 320);
            assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getInt(40))
                    .as("before flush the size is unknown").isEqualTo(-1);
            writer.flush();
            byte[] bytes = Files.readAllBytes(file);
            assertThat(bytes).hasSize(44 + 640);
            assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(40)).isEqualTo(640);
            writer.write(new short[160], 0, 160);
        }
        assertThat(WavReader.read(file).frames()).isEqualTo(480);
    }

    @Test
    void readsMuLawAndALawFiles() throws IOException {
        byte[] codes = {(byte) 0xFF, (byte) 0x80, 0x00, 0x7F, (byte) 0xEF, 0x10};
        WavAudio mu = WavReader.read(new ByteArrayInputStream(wav(WavReader.FORMAT_MULAW, 1, 8000, 8, codes)));
        assertThat(mu.sourceEncoding()).isEqualTo(WavAudio.Encoding.MULAW);
        assertThat(mu.sampleRate()).isEqualTo(8000);
        assertThat(mu.samples()).containsExactly(0, 32_124, -32_124, 0, 132, MuLaw.decode((byte) 0x10));

        WavAudio a = WavReader.read(new ByteArrayInputStream(wav(WavReader.FORMAT_ALAW, 2, 8000, 8, codes)));
        assertThat(a.sourceEncoding()).isEqualTo(WavAudio.Encoding.ALAW);
        assertThat(a.channels()).isEqualTo(2);
        assertThat(a.frames()).isEqualTo(3);
        short[] expected = new short[codes.length];
        ALaw.decode(codes, 0, expected, 0, codes.length);
        assertThat(a.samples()).isEqualTo(expected);
    }

    @Test
    void readsWaveFormatExtensibleAndSkipsOtherChunksIncludingOddSizedOnes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer fmt = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) WavReader.FORMAT_EXTENSIBLE).putShort((short) 1).putInt(8000).putInt(8000)
                .putShort((short) 1).putShort((short) 8).putShort((short) 22).putShort((short) 8).putInt(4)
                .putShort((short) WavReader.FORMAT_MULAW)
                .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(0));
        out.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        chunk(out, "fmt ", fmt.array());
        chunk(out, "LIST", new byte[] {1, 2, 3}); // odd size: followed by a pad byte
        chunk(out, "data", new byte[] {(byte) 0xFF, (byte) 0x80});

        WavAudio audio = WavReader.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(audio.sourceEncoding()).isEqualTo(WavAudio.Encoding.MULAW);
        assertThat(audio.samples()).containsExactly(0, 32_124);
    }

    @Test
    void aDataChunkLongerThanTheFileIsReadToTheEndDroppingATornFrame() throws IOException {
        byte[] full = wav(WavReader.FORMAT_PCM, 2, 16_000, 16, new byte[] {1, 0, 2, 0, 3, 0, 4, 0, 5, 0});
        ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 1_000_000);
        WavAudio audio = WavReader.read(new ByteArrayInputStream(full));
        assertThat(audio.samples()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void rejectsFilesItCannotDecode() {
        assertThatThrownBy(() -> WavReader.read(new ByteArrayInputStream("not a wav file at all".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("not a WAV");
        assertThatThrownBy(() -> WavReader.read(new ByteArrayInputStream(wav(WavReader.FORMAT_PCM, 1, 8000, 8, new byte[4]))))
                .isInstanceOf(IOException.class).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> WavReader.read(new ByteArrayInputStream(wav(3, 1, 8000, 32, new byte[4]))))
                .isInstanceOf(IOException.class).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> WavReader.read(new ByteArrayInputStream(Arrays.copyOf(wav(1, 1, 8000, 16, new byte[4]), 30))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void misuseIsRefused() throws IOException {
        Path file = dir.resolve("misuse.wav");
        WavWriter mono = WavWriter.create(file, 16_000, 1);
        assertThatThrownBy(() -> mono.writeStereo(new short[2], 0, new short[2], 0, 2))
                .isInstanceOf(IllegalStateException.class);
        mono.close();
        mono.close();
        assertThatThrownBy(() -> mono.write(new short[2], 0, 2)).isInstanceOf(IOException.class);

        try (WavWriter stereo = WavWriter.create(file, 16_000, 2)) {
            assertThatThrownBy(() -> stereo.write(new short[3], 0, 3)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> WavWriter.repair(dir.resolve("missing.wav"))).isInstanceOf(IOException.class);
    }

    private static byte[] wav(int format, int channels, int rate, int bits, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int blockAlign = channels * bits / 8;
        ByteBuffer fmt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) format).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits);
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(36 + data.length));
        out.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        chunk(out, "fmt ", fmt.array());
        chunk(out, "data", data);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String id, byte[] body) {
        out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(body.length));
        out.writeBytes(body);
        if (body.length % 2 == 1) {
            out.write(0);
        }
    }

    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
