package dev.palaver.server.webvoice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Pcm16;
import dev.palaver.media.call.CallSettings;
import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.agents.AgentVersion;
import dev.palaver.server.brain.AgentBrain;
import dev.palaver.server.brain.AgentBrains;
import dev.palaver.server.brain.CallControl;
import dev.palaver.server.brain.Conversation;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.providers.ProviderStacks;
import dev.palaver.server.providers.VoiceStack;

/**
 * The turn API for clients that cannot stream: one recorded utterance in, the agent's spoken reply out.
 * Recognition, the brain and synthesis are the agent's own (its provider chains and brain, as on a call).
 */
@Service
class Turns {

    /** How long each stage (recognition, the reply, synthesis) may take. */
    static final Duration STAGE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param audioId the reply audio's id; null when the agent had nothing to say
     * @param ended   the agent ended the conversation (a further turn with this session id starts a new one)
     */
    record Result(UUID sessionId, String transcript, String replyText, String audioId, boolean ended) {
    }

    private final AgentDefinitions agents;
    private final ProviderStacks stacks;
    private final AgentBrains brains;
    private final TurnSessions sessions;
    private final ReplyAudio replies;
    private final UploadedAudio uploads;

    Turns(AgentDefinitions agents, ProviderStacks stacks, AgentBrains brains, TurnSessions sessions,
          ReplyAudio replies, FfmpegDecoder ffmpeg) {
        this.agents = agents;
        this.stacks = stacks;
        this.brains = brains;
        this.sessions = sessions;
        this.replies = replies;
        this.uploads = new UploadedAudio(ffmpeg);
    }

    Result take(Caller caller, UUID agentId, UUID sessionId, byte[] audio) {
        short[] samples = uploads.decode(audio);
        AgentVersion agent = agents.current(caller.orgId(), agentId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No agent " + agentId + "."));
        if (!agent.definition().enabled()) {
            throw new ApiException(ErrorCode.CONFLICT, "Agent " + agentId + " is disabled.");
        }
        TurnSessions.Session session = sessionId == null ? open(caller, agent)
                : sessions.find(caller, agentId, sessionId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                        "No open session " + sessionId + " with this agent; it may have expired. Leave sessionId out to start a new one."));
        session.lock.lock();
        try {
            String transcript = Transcription.recognize(session.stack.stt(), samples, STAGE_TIMEOUT).strip();
            String reply;
            boolean ended = false;
            if (transcript.isEmpty()) {
                reply = agent.definition().callSettings(CallSettings.builder().build()).notHeardMessage();
            } else {
                BrainTurn.Reply answer = BrainTurn.run(session.brain, session.history, transcript, STAGE_TIMEOUT);
                reply = answer.text();
                ended = answer.endConversation();
            }
            String audioId = null;
            if (!reply.isBlank()) {
                short[] spoken = Transcription.synthesize(session.stack.tts(), reply, STAGE_TIMEOUT);
                audioId = replies.keep(caller, agentId, wav(spoken));
            }
            if (ended) {
                session.ended = true;
            }
            return new Result(session.id, transcript, reply, audioId, ended);
        } finally {
            session.lock.unlock();
            if (session.ended) {
                sessions.end(session);
            }
        }
    }

    private TurnSessions.Session open(Caller caller, AgentVersion agent) {
        return sessions.open(caller, agent.agentId(), () -> {
            VoiceStack stack = stacks.forAgent(caller.orgId(), agent.definition());
            try {
                String callerId = caller.isApiKey() ? null : "web:" + caller.userId();
                AgentBrain brain = brains.open(new Conversation(caller.orgId(), agent, null, callerId,
                        Conversation.Channel.WEB, stack, CallControl.NONE));
                return new TurnSessions.Opened(brain, stack);
            } catch (RuntimeException e) {
                stack.close();
                throw e;
            }
        }).primed();
    }

    /** A 16 kHz mono PCM16 WAV file. */
    static byte[] wav(short[] samples) {
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(AudioFormat.SAMPLE_RATE)
                .putInt(AudioFormat.SAMPLE_RATE * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        byte[] out = b.array();
        Pcm16.toBytes(samples, 0, out, 44, samples.length);
        return out;
    }
}
