package dev.palaver.media.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramerTest {
    private final List<short[]> frames = new ArrayList<>();
    private final List<short[]> arrays = new ArrayList<>();

    private Framer framer(int size) {
        return new Framer(size, frame -> {
            frames.add(frame.clone());
            arrays.add(frame);
        });
    }

    @Test
    void chunksOfAnyLengthBecomeExactFramesInOrder() {
        short[] input = Signals.whiteNoise(16_000, 3000, 9);
        Framer framer = Framer.twentyMillis(frame -> frames.add(frame.clone()));
        Random random = new Random(5);
        int fed = 0;
        int reported = 0;
        while (fed < input.length) {
            int length = Math.min(random.nextInt(0, 1000), input.length - fed);
            reported += framer.push(input, fed, length);
            fed += length;
            assertThat(framer.pending()).isEqualTo(fed % 320);
        }
        assertThat(frames).hasSize(50).allSatisfy(frame -> assertThat(frame).hasSize(320));
        assertThat(reported).isEqualTo(50);
        short[] joined = new short[16_000];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(frames.get(i), 0, joined, i * 320, 320);
        }
        assertThat(joined).isEqualTo(input);
    }

    @Test
    void frameSizeIsConfigurable() {
        Framer framer = framer(160);
        assertThat(framer.frameSamples()).isEqualTo(160);
        assertThat(framer.push(new short[500], 0, 500)).isEqualTo(3);
        assertThat(framer.pending()).isEqualTo(20);
        assertThat(frames).allSatisfy(frame -> assertThat(frame).hasSize(160));
    }

    @Test
    void oneFrameBufferIsReused() {
        Framer framer = framer(4);
        framer.push(new short[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, 9);
        assertThat(arrays).hasSize(2);
        assertThat(arrays.get(0)).isSameAs(arrays.get(1));
        assertThat(frames.get(0)).containsExactly(1, 2, 3, 4);
        assertThat(frames.get(1)).containsExactly(5, 6, 7, 8);
    }

    @Test
    void offsetsAreHonoured() {
        Framer framer = framer(3);
        framer.push(new short[] {9, 1, 2, 9}, 1, 2);
        framer.push(new short[] {9, 9, 3, 4}, 2, 2);
        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst()).containsExactly(1, 2, 3);
        assertThat(framer.pending()).isEqualTo(1);
    }

    @Test
    void flushPadsThePartialFrameWithSilence() {
        Framer framer = framer(4);
        framer.push(new short[] {7, 7, 7, 7, 8, 8}, 0, 6);
        assertThat(framer.flushPadded()).isTrue();
        assertThat(frames.get(1)).containsExactly(8, 8, 0, 0);
        assertThat(framer.pending()).isZero();
        assertThat(framer.flushPadded()).isFalse();
        assertThat(frames).hasSize(2);
    }

    @Test
    void resetDropsThePartialFrame() {
        Framer framer = framer(4);
        framer.push(new short[] {1, 2, 3}, 0, 3);
        framer.reset();
        assertThat(framer.pending()).isZero();
        framer.push(new short[] {5, 6, 7, 8}, 0, 4);
        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst()).containsExactly(5, 6, 7, 8);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> framer(0)).isInstanceOf(IllegalArgumentException.class);
        Framer framer = framer(4);
        assertThatThrownBy(() -> framer.push(new short[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(framer.pending()).isZero();
    }
}
