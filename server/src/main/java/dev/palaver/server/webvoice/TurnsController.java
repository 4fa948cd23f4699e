package dev.palaver.server.webvoice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * The turn API: push-to-talk for clients that cannot stream. Taking a turn is like placing a call (members
 * of any role; API keys with calls:write); the reply audio is served only to whoever took the turn.
 */
@RestController
class TurnsController {

    static final String AUDIO_PATH = "/api/v1/turn-audio/";

    private final Turns turns;
    private final ReplyAudio replies;

    TurnsController(Turns turns, ReplyAudio replies) {
        this.turns = turns;
        this.replies = replies;
    }

    /** The reply: {@code audioUrl} is absent when the agent had nothing to say. */
    record TurnResponse(UUID sessionId, String transcript, String replyText, String audioUrl, boolean ended) {
    }

    @Schema(name = "TurnUpload")
    record TurnUpload(@Schema(type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED,
            description = "What the caller said: WAV (PCM16, μ-law or A-law, any rate), WebM or Ogg (Opus/Vorbis); at most 10 MB and 60 s") String audio,
                      @Schema(description = "Continue this conversation (from an earlier turn's sessionId); leave out to start one") UUID sessionId) {
    }

    @Operation(summary = "Take one spoken turn with an agent",
            description = "Recognizes the audio with the agent's speech recognition, runs one reply of its brain, and speaks the reply. "
                    + "Fetch the reply audio from audioUrl (a 16 kHz WAV) with the same credentials before it expires.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = TurnUpload.class)))
    @PostMapping("/api/v1/agents/{id}/turns")
    @Access(role = Role.MEMBER, scope = Scopes.CALLS_WRITE)
    TurnResponse take(Caller caller, @PathVariable UUID id, HttpServletRequest request) {
        MultipartHttpServletRequest multipart = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (multipart == null) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Send the turn as multipart/form-data with the recording in a part named \"audio\".");
        }
        MultipartFile file = multipart.getFile("audio");
        if (file == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The upload has no part named \"audio\".");
        }
        if (file.getSize() > UploadedAudio.MAX_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The audio is larger than " + UploadedAudio.MAX_BYTES + " bytes.");
        }
        UUID sessionId = sessionId(multipart.getParameter("sessionId"));
        byte[] audio;
        try {
            audio = file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Turns.Result result = turns.take(caller, id, sessionId, audio);
        return new TurnResponse(result.sessionId(), result.transcript(), result.replyText(),
                result.audioId() == null ? null : AUDIO_PATH + result.audioId(), result.ended());
    }

    @Operation(summary = "The spoken reply of a turn (audio/wav), for the principal that took the turn, until it expires")
    @GetMapping(AUDIO_PATH + "{audioId}")
    @Access(role = Role.MEMBER, scope = Scopes.CALLS_WRITE)
    ResponseEntity<byte[]> audio(Caller caller, @PathVariable String audioId) {
        byte[] wav = replies.find(caller, audioId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such reply audio; it may have expired."));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("audio/wav"))
                .cacheControl(CacheControl.noStore()).body(wav);
    }

    private static UUID sessionId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "sessionId must be a UUID from an earlier turn.");
        }
    }
}
