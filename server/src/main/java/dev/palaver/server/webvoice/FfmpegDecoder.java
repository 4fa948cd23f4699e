package dev.palaver.server.webvoice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Pcm16;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Decodes WebM and Ogg clips with Debian's {@code ffmpeg}, run as a child process under strict limits: the
 * demuxer is named (no probing of other formats), only the pipe protocol is allowed, at most
 * {@code maxSeconds + 1} seconds are decoded, output is capped, and the process is killed after
 * {@link WebVoiceProperties#ffmpegTimeout()}. The clip goes in on stdin and 16 kHz PCM16 mono comes out on
 * stdout; nothing touches the disk.
 */
@Component
final class FfmpegDecoder {

    private static final Logger log = LoggerFactory.getLogger(FfmpegDecoder.class);
    private static final int MAX_ERROR_CHARS = 300;

    private final String executable;
    private final long timeoutMillis;

    FfmpegDecoder(WebVoiceProperties properties) {
        this.executable = properties.ffmpegPath();
        this.timeoutMillis = properties.ffmpegTimeout().toMillis();
    }

    short[] decode(byte[] clip, UploadedAudio.Container container, int maxSeconds) {
        String demuxer = switch (container) {
            case WEBM -> "matroska";
            case OGG -> "ogg";
            case WAV -> throw new IllegalArgumentException("WAV is decoded in Java");
        };
        long maxBytes = (long) (maxSeconds + 1) * AudioFormat.SAMPLE_RATE * 2;
        Process process;
        try {
            process = new ProcessBuilder(List.of(executable, "-nostdin", "-hide_banner", "-loglevel", "error",
                    "-protocol_whitelist", "pipe", "-f", demuxer, "-i", "pipe:0",
                    "-t", Integer.toString(maxSeconds + 1), "-vn", "-ac", "1", "-ar",
                    Integer.toString(AudioFormat.SAMPLE_RATE), "-f", "s16le", "pipe:1")).start();
        } catch (IOException e) {
            log.warn("Cannot run {} to decode {} audio: {}", executable, container, e.getMessage());
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, container
                    + " audio needs ffmpeg, which this server does not have; send WAV instead.");
        }
        try {
            var timedOut = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                        timedOut.set(true);
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            });
            Thread.ofVirtual().start(() -> feed(process.getOutputStream(), clip));
            var errors = new ByteArrayOutputStream();
            Thread stderr = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), errors));
            byte[] pcm = readCapped(process.getInputStream(), maxBytes);
            if (pcm == null) {
                throw UploadedAudio.tooLong();
            }
            watchdog.join();
            if (timedOut.get()) {
                throw new ApiException(ErrorCode.AUDIO_UNREADABLE, "Decoding the audio took too long.");
            }
            stderr.join(1000);
            if (process.exitValue() != 0) {
                String message = errors.toString(StandardCharsets.UTF_8).strip();
                throw new ApiException(ErrorCode.AUDIO_UNREADABLE, "The " + container + " audio cannot be decoded: "
                        + message.substring(0, Math.min(MAX_ERROR_CHARS, message.length())));
            }
            if (pcm.length > (long) maxSeconds * AudioFormat.SAMPLE_RATE * 2) {
                throw UploadedAudio.tooLong();
            }
            short[] samples = new short[pcm.length / 2];
            Pcm16.toSamples(pcm, 0, samples, 0, samples.length);
            return samples;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Decoding was interrupted.");
        } finally {
            process.destroyForcibly();
        }
    }

    /** Everything the process writes, or null past {@code maxBytes} (the watchdog ends a process that hangs). */
    private static byte[] readCapped(InputStream in, long maxBytes) {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new ApiException(ErrorCode.AUDIO_UNREADABLE, "The audio cannot be decoded: " + e.getMessage());
        }
        return out.toByteArray();
    }

    private static void feed(OutputStream stdin, byte[] clip) {
        try (stdin) {
            stdin.write(clip);
        } catch (IOException e) {
            // ffmpeg stopped reading (it failed or had enough); its exit status tells the rest.
        }
    }

    private static void drain(InputStream stderr, ByteArrayOutputStream errors) {
        try (stderr) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = stderr.read(buffer)) >= 0) {
                if (errors.size() < 4096) {
                    errors.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }
}
