package dev.palaver.bench.engine;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.MuLaw;
import dev.palaver.media.audio.Resampler;

/**
 * The inbound edge of a phone transport for one call: a 20 ms μ-law frame becomes a 16 kHz PCM16 frame in
 * the engine's format. The output is a new array each time because the transport hands ownership of it to
 * the call ({@code Transport.Listener#onAudio}); the decode buffer and the resampler's history are reused.
 * One instance per call, used by one thread.
 */
public final class TelephoneEdge {

    private final short[] narrow = new short[CallerAudio.FRAME_BYTES];
    private final Resampler up = new Resampler(CallerAudio.TELEPHONE_RATE, AudioFormat.SAMPLE_RATE);

    public short[] toEngineFrame(byte[] mulaw) {
        MuLaw.decode(mulaw, 0, narrow, 0, CallerAudio.FRAME_BYTES);
        short[] frame = new short[AudioFormat.SAMPLES_PER_FRAME];
        int written = up.process(narrow, 0, CallerAudio.FRAME_BYTES, frame, 0);
        if (written != frame.length) {
            throw new IllegalStateException("8 kHz to 16 kHz gave " + written + " samples for a 20 ms frame");
        }
        return frame;
    }
}
