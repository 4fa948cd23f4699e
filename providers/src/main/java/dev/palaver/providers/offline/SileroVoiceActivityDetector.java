package dev.palaver.providers.offline;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import dev.palaver.media.vad.VoiceActivityDetector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Silero VAD v5 for one call: 512-sample windows at 16 kHz, each preceded by the last 64 samples of the
 * window before (as the reference implementation feeds the model), with the 2x1x128 recurrent state carried
 * from window to window. The model itself is shared ({@link SileroModel}). Used by one thread at a time.
 * Input and output tensors live in direct buffers allocated once, so a window costs no native allocation.
 */
public final class SileroVoiceActivityDetector implements VoiceActivityDetector {
    static final String INPUT = "input";
    static final String STATE = "state";
    static final String SAMPLE_RATE = "sr";
    static final String OUTPUT = "output";
    static final String NEXT_STATE = "stateN";
    static final int WINDOW = 512;
    static final int CONTEXT = 64;
    private static final int STATE_SIZE = 2 * 128;
    private static final float PCM16_SCALE = 1f / 32768f;

    private final SileroModel model;
    private final float[] context = new float[CONTEXT];
    private final FloatBuffer input = floats(CONTEXT + WINDOW);
    private final FloatBuffer state = floats(STATE_SIZE);
    private final FloatBuffer nextState = floats(STATE_SIZE);
    private final FloatBuffer probability = floats(1);
    private final OnnxTensor inputTensor;
    private final OnnxTensor stateTensor;
    private final OnnxTensor sampleRateTensor;
    private final OnnxTensor nextStateTensor;
    private final OnnxTensor probabilityTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxValue> outputs;

    SileroVoiceActivityDetector(SileroModel model) {
        this.model = Objects.requireNonNull(model, "model");
        var environment = model.environment();
        LongBuffer sampleRate = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        sampleRate.put(0, 16_000L);
        try {
            inputTensor = OnnxTensor.createTensor(environment, input, new long[] {1, CONTEXT + WINDOW});
            stateTensor = OnnxTensor.createTensor(environment, state, new long[] {2, 1, 128});
            sampleRateTensor = OnnxTensor.createTensor(environment, sampleRate, new long[0]);
            nextStateTensor = OnnxTensor.createTensor(environment, nextState, new long[] {2, 1, 128});
            probabilityTensor = OnnxTensor.createTensor(environment, probability, new long[] {1, 1});
        } catch (OrtException e) {
            throw new IllegalStateException("Could not create Silero VAD tensors", e);
        }
        inputs = Map.of(INPUT, inputTensor, STATE, stateTensor, SAMPLE_RATE, sampleRateTensor);
        outputs = Map.of(OUTPUT, probabilityTensor, NEXT_STATE, nextStateTensor);
    }

    @Override
    public int windowSamples() {
        return WINDOW;
    }

    @Override
    public float speechProbability(short[] samples, int offset) {
        Objects.checkFromIndexSize(offset, WINDOW, samples.length);
        input.put(0, context);
        for (int i = 0; i < WINDOW; i++) {
            input.put(CONTEXT + i, samples[offset + i] * PCM16_SCALE);
        }
        input.get(WINDOW, context);
        try {
            // Outputs are pinned to this detector's buffers, so the result owns nothing that outlives it.
            model.session().run(inputs, outputs).close();
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD inference failed", e);
        }
        state.put(0, nextState, 0, STATE_SIZE);
        return probability.get(0);
    }

    @Override
    public void reset() {
        Arrays.fill(context, 0f);
        for (int i = 0; i < STATE_SIZE; i++) {
            state.put(i, 0f);
        }
    }

    /** Releases this detector's tensors; the shared model stays open. */
    @Override
    public void close() {
        inputTensor.close();
        stateTensor.close();
        sampleRateTensor.close();
        nextStateTensor.close();
        probabilityTensor.close();
    }

    /** Sample {@code index} of the last model input (context then window), in [-1, 1). */
    float modelInput(int index) {
        return input.get(index);
    }

    private static FloatBuffer floats(int count) {
        return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
