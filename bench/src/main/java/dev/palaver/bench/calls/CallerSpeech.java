package dev.palaver.bench.calls;

import dev.palaver.bench.engine.CallerAudio;
import dev.palaver.media.audio.MuLaw;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the simulated callers say, ready to send: each WAV (16 kHz mono, made by flite) as 20 ms μ-law frames
 * in Base64, trimmed so that its first and last frames are voiced (peak ≥ {@value #VOICED}): "the caller's
 * last voiced frame" is then the utterance's last frame, and what follows it is digital silence.
 *
 * @param turns  utterances for ordinary turns, used in turn
 * @param bargeIn the utterance that interrupts the agent
 */
public record CallerSpeech(List<Utterance> turns, Utterance bargeIn) {

    /** Peak (16-bit) of a frame counted as voiced. */
    static final int VOICED = 1_000;
    public static final String SILENCE = Base64.getEncoder().encodeToString(CallerAudio.silentFrame());

    /** One utterance's frames (Base64 μ-law payloads). */
    public record Utterance(String name, List<String> frames) {
        public int length() {
            return frames.size();
        }
    }

    /** Reads {@code utterance-*.wav} (ordinary turns) and {@code barge-in.wav} from {@code dir}. */
    public static CallerSpeech load(Path dir) throws IOException {
        List<Utterance> turns = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("utterance-\\d+\\.wav")).sorted().toList()) {
                turns.add(utterance(f));
            }
        }
        if (turns.isEmpty()) {
            throw new IOException("no utterance-N.wav in " + dir);
        }
        return new CallerSpeech(List.copyOf(turns), utterance(dir.resolve("barge-in.wav")));
    }

    static Utterance utterance(Path wav) throws IOException {
        byte[][] frames = CallerAudio.fromPcm16k(CallerAudio.readSpeech(wav));
        int first = 0;
        int last = frames.length - 1;
        while (first <= last && peak(frames[first]) < VOICED) {
            first++;
        }
        while (last >= first && peak(frames[last]) < VOICED) {
            last--;
        }
        if (first > last) {
            throw new IOException(wav + " holds no voiced frame");
        }
        List<String> payloads = new ArrayList<>(last - first + 1);
        for (int i = first; i <= last; i++) {
            payloads.add(Base64.getEncoder().encodeToString(frames[i]));
        }
        return new Utterance(wav.getFileName().toString(), List.copyOf(payloads));
    }

    static int peak(byte[] mulaw) {
        int peak = 0;
        for (byte b : mulaw) {
            peak = Math.max(peak, Math.abs(MuLaw.decode(b)));
        }
        return peak;
    }
}
