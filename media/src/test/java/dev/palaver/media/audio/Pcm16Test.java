package dev.palaver.media.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Pcm16Test {

    @Test
    void bytesAreLittleEndianTwosComplement() {
        byte[] bytes = {(byte) 0x34, (byte) 0x12, (byte) 0xFF, (byte) 0xFF, 0x00, (byte) 0x80, (byte) 0xFF, 0x7F};
        short[] samples = new short[4];
        Pcm16.toSamples(bytes, 0, samples, 0, 4);
        assertThat(samples).containsExactly((short) 0x1234, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE);

        byte[] back = new byte[8];
        Pcm16.toBytes(samples, 0, back, 0, 4);
        assertThat(back).isEqualTo(bytes);
    }

    @Test
    void offsetsAreHonoured() {
        short[] samples = {1, 2, 3, 4};
        byte[] bytes = new byte[7];
        Pcm16.toBytes(samples, 1, bytes, 1, 3);
        assertThat(bytes).containsExactly(0, 2, 0, 3, 0, 4, 0);

        short[] back = new short[5];
        Pcm16.toSamples(bytes, 1, back, 2, 3);
        assertThat(back).containsExactly(0, 0, 2, 3, 4);
    }
}
