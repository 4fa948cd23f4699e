package dev.palaver.media.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void muLawKnownCodePoints() {
        assertThat(MuLaw.encode((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(MuLaw.encode((short) -1)).isEqualTo((byte) 0x7F);
        assertThat(MuLaw.encode(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
        assertThat(MuLaw.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
        assertThat(MuLaw.decode((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(MuLaw.decode((byte) 0x7F)).isEqualTo((short) 0);
        assertThat(MuLaw.decode((byte) 0x80)).isEqualTo((short) 32_124);
        assertThat(MuLaw.decode((byte) 0x00)).isEqualTo((short) -32_124);
        assertThat(MuLaw.decode((byte) 0xEF)).isEqualTo((short) 132);
        assertThat(MuLaw.encode((short) 132)).isEqualTo((byte) 0xEF);
    }

    @Test
    void aLawKnownCodePoints() {
        assertThat(ALaw.encode((short) 0)).isEqualTo((byte) 0xD5);
        assertThat(ALaw.encode((short) -1)).isEqualTo((byte) 0x55);
        assertThat(ALaw.encode(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
        assertThat(ALaw.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
        assertThat(ALaw.decode((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(ALaw.decode((byte) 0x55)).isEqualTo((short) -8);
        assertThat(ALaw.decode((byte) 0xAA)).isEqualTo((short) 32_256);
        assertThat(ALaw.decode((byte) 0x2A)).isEqualTo((short) -32_256);
    }

    @Test
    void muLawRoundTripErrorIsWithinHalfAQuantisationStep() {
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            int decoded = MuLaw.decode(MuLaw.encode((short) x));
            assertRoundTripWithinBound(x, decoded, MuLaw.MAX_MAGNITUDE);
        }
    }

    @Test
    void aLawRoundTripErrorIsWithinHalfAQuantisationStep() {
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            int decoded = ALaw.decode(ALaw.encode((short) x));
            assertRoundTripWithinBound(x, decoded, ALaw.MAX_MAGNITUDE);
        }
    }

    /**
     * G.711 keeps 4 mantissa bits per segment and decodes to the middle of the step, so the error is at
     * most half a step: under 1/32 of the magnitude plus the smallest half step (8 in PCM16 units).
     * Beyond the largest code the value clips to it.
     */
    private static void assertRoundTripWithinBound(int x, int decoded, int maxMagnitude) {
        if (Math.abs(x) > maxMagnitude) {
            assertThat(decoded).as("clipped %d", x).isEqualTo(Integer.signum(x) * maxMagnitude);
            return;
        }
        assertThat(Math.abs(decoded - x)).as("error at %d", x).isLessThanOrEqualTo(8 + Math.abs(x) / 32);
        if (x != 0 && decoded != 0) { // A-law has no zero code: 0 decodes as +8
            assertThat(Integer.signum(decoded)).as("sign at %d", x).isEqualTo(Integer.signum(x));
        }
    }

    @Test
    void everyCodeDecodesToAValueThatEncodesBackToTheSameCode() {
        for (int code = 0; code < 256; code++) {
            byte c = (byte) code;
            if (code != 0x7F) { // μ-law has two zeros; 0x7F (negative zero) encodes back as 0xFF
                assertThat(MuLaw.encode(MuLaw.decode(c))).as("μ-law %02x", code).isEqualTo(c);
            }
            assertThat(ALaw.encode(ALaw.decode(c))).as("A-law %02x", code).isEqualTo(c);
        }
    }

    @Test
    void decodeTablesAgreeWithTheJdkCodecs() throws IOException {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        short[] ours = new short[256];
        MuLaw.decode(codes, 0, ours, 0, 256);
        assertThat(ours).isEqualTo(decodeWithJdk(codes, Encoding.ULAW));
        ALaw.decode(codes, 0, ours, 0, 256);
        assertThat(ours).isEqualTo(decodeWithJdk(codes, Encoding.ALAW));
    }

    private static short[] decodeWithJdk(byte[] codes, Encoding encoding) throws IOException {
        var source = new javax.sound.sampled.AudioFormat(encoding, 8000, 8, 1, 1, 8000, false);
        var target = new javax.sound.sampled.AudioFormat(Encoding.PCM_SIGNED, 8000, 16, 1, 2, 8000, false);
        try (var in = new AudioInputStream(new ByteArrayInputStream(codes), source, codes.length);
             var pcm = AudioSystem.getAudioInputStream(target, in)) {
            byte[] bytes = pcm.readAllBytes();
            short[] samples = new short[codes.length];
            Pcm16.toSamples(bytes, 0, samples, 0, samples.length);
            return samples;
        }
    }

    @Test
    void arrayMethodsMatchSingleSampleMethodsAndRespectOffsets() {
        short[] pcm = {0, 1000, -1000, 32_000, -32_000, 5};
        byte[] codes = new byte[pcm.length + 3];
        MuLaw.encode(pcm, 1, codes, 2, 4);
        assertThat(codes[0]).isZero();
        assertThat(codes[1]).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(codes[2 + i]).isEqualTo(MuLaw.encode(pcm[1 + i]));
        }
        assertThat(codes[6]).isZero();

        short[] back = new short[6];
        MuLaw.decode(codes, 2, back, 1, 4);
        assertThat(back[0]).isZero();
        assertThat(back[5]).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(back[1 + i]).isEqualTo(MuLaw.decode(codes[2 + i]));
        }

        ALaw.encode(pcm, 0, codes, 0, pcm.length);
        ALaw.decode(codes, 0, back, 0, pcm.length);
        for (int i = 0; i < pcm.length; i++) {
            assertThat(codes[i]).isEqualTo(ALaw.encode(pcm[i]));
            assertThat(back[i]).isEqualTo(ALaw.decode(codes[i]));
        }
    }

    @Test
    void arrayMethodsRejectRangesOutsideTheBuffers() {
        assertThatThrownBy(() -> MuLaw.encode(new short[4], 2, new byte[4], 0, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ALaw.decode(new byte[4], 0, new short[2], 0, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
