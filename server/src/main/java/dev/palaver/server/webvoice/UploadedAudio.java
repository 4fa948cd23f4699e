package dev.palaver.server.webvoice;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Resampler;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Turns an uploaded clip into the engine's audio (16 kHz PCM16 mono). The container is recognised by its
 * first bytes, never by the declared content type: WAV is read in Java; WebM and Ogg (Opus or Vorbis, what
 * browsers' MediaRecorder writes) go through {@link FfmpegDecoder}. Longer than {@link #MAX_SECONDS} is refused.
 */
final class UploadedAudio {

    static final int MAX_SECONDS = 60;
    static final long MAX_BYTES = 10L * 1024 * 1024;

    /** The containers the turn API takes. */
    enum Container {
        WAV, WEBM, OGG;

        static Container of(byte[] head) {
            if (startsWith(head, 0, "RIFF") && startsWith(head, 8, "WAVE")) {
                return WAV;
            }
            if (head.length >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45
                    && (head[2] & 0xFF) == 0xDF && (head[3] & 0xFF) == 0xA3) {
                return WEBM;
            }
            if (startsWith(head, 0, "OggS")) {
                return OGG;
            }
            return null;
        }

        private static boolean startsWith(byte[] bytes, int at, String tag) {
            if (bytes.length < at + tag.length()) {
                return false;
            }
            for (int i = 0; i < tag.length(); i++) {
                if (bytes[at + i] != tag.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final FfmpegDecoder ffmpeg;

    UploadedAudio(FfmpegDecoder ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** The clip as 16 kHz mono samples; a problem with a stable code when it is not audio the API takes. */
    short[] decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ApiException(ErrorCode.AUDIO_UNREADABLE, "The audio part is empty.");
        }
        if (bytes.length > MAX_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The audio is larger than " + MAX_BYTES + " bytes.");
        }
        Container container = Container.of(Arrays.copyOf(bytes, Math.min(bytes.length, 12)));
        if (container == null) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The audio must be WAV (PCM16, μ-law or A-law), WebM or Ogg.");
        }
        short[] samples = switch (container) {
            case WAV -> wav(bytes);
            case WEBM, OGG -> ffmpeg.decode(bytes, container, MAX_SECONDS);
        };
        if (samples.length > (long) MAX_SECONDS * AudioFormat.SAMPLE_RATE) {
            throw tooLong();
        }
        if (samples.length == 0) {
            throw new ApiException(ErrorCode.AUDIO_UNREADABLE, "The audio holds no samples.");
        }
        return samples;
    }

    static ApiException tooLong() {
        return new ApiException(ErrorCode.AUDIO_TOO_LONG, "The audio is longer than " + MAX_SECONDS + " seconds.");
    }

    private static short[] wav(byte[] bytes) {
        WavAudio audio;
        try {
            audio = WavReader.read(new ByteArrayInputStream(bytes));
        } catch (IOException | IllegalArgumentException e) {
            throw new ApiException(ErrorCode.AUDIO_UNREADABLE, "The WAV file cannot be read: " + e.getMessage());
        }
        if (audio.durationSeconds() > MAX_SECONDS) {
            throw tooLong();
        }
        return Resampler.convert(mono(audio), audio.sampleRate(), AudioFormat.SAMPLE_RATE);
    }

    private static short[] mono(WavAudio audio) {
        if (audio.channels() == 1) {
            return audio.samples();
        }
        short[] out = new short[audio.frames()];
        short[] in = audio.samples();
        int channels = audio.channels();
        for (int f = 0; f < out.length; f++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += in[f * channels + c];
            }
            out[f] = (short) (sum / channels);
        }
        return out;
    }
}
