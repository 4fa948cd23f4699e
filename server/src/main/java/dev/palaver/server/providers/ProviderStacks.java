package dev.palaver.server.providers;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.anthropic.AnthropicConfig;
import dev.palaver.providers.anthropic.AnthropicLanguageModel;
import dev.palaver.providers.deepgram.DeepgramAuraTextToSpeech;
import dev.palaver.providers.deepgram.DeepgramSpeechToText;
import dev.palaver.providers.elevenlabs.ElevenLabsTextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.providers.offline.OfflineSpeechToText;
import dev.palaver.providers.offline.OfflineTextToSpeech;
import dev.palaver.providers.openai.OpenAiCompatibleConfig;
import dev.palaver.providers.openai.OpenAiCompatibleLanguageModel;
import dev.palaver.providers.openai.OpenAiSpeechTextToSpeech;
import dev.palaver.providers.openai.OpenAiTranscriptionSpeechToText;
import dev.palaver.providers.resilience.FallbackChain;
import dev.palaver.providers.resilience.Resilience;
import dev.palaver.providers.resilience.ResiliencePolicy;
import dev.palaver.server.agents.AgentDefinition;
import dev.palaver.server.agents.AgentDefinition.Kind;
import dev.palaver.server.agents.AgentDefinition.ProviderChain;
import dev.palaver.server.agents.AgentDefinition.ProviderChoice;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.providers.ProviderCredentials.Credential;

/**
 * Builds an agent's speech and language providers as resilient fallback chains: for each kind, the agent's
 * choices in order (first choice, then its fallbacks), each with the organization's own credential or, when
 * it has none, the server-wide default from the environment ({@link ProviderDefaults}). A choice whose
 * provider has no credential at all is left out with a warning that names the provider; {@code offline}
 * (flite, pocketsphinx) needs none. Every chain runs on the one shared {@link Resilience}, so breakers
 * (per provider and credential) and metrics span all calls.
 *
 * <p>Defaults when a choice names no model or voice: OpenAI {@value #OPENAI_LLM}, {@value #OPENAI_TTS} /
 * {@value #OPENAI_VOICE}, {@value #OPENAI_STT}; Anthropic {@value #ANTHROPIC_LLM}; Groq {@value #GROQ_LLM},
 * {@value #GROQ_STT}; Deepgram {@value #DEEPGRAM_STT}, {@value #DEEPGRAM_TTS}; ElevenLabs voice
 * {@value #ELEVENLABS_VOICE} with the client's default model; offline the engine's default voice.
 */
@Service
public class ProviderStacks {

    static final String OPENAI_LLM = "gpt-4o-mini";
    static final String OPENAI_TTS = "tts-1";
    static final String OPENAI_VOICE = "alloy";
    static final String OPENAI_STT = "whisper-1";
    static final String ANTHROPIC_LLM = "claude-haiku-4-5";
    static final String GROQ_LLM = "llama-3.3-70b-versatile";
    static final String GROQ_STT = "whisper-large-v3-turbo";
    static final String DEEPGRAM_STT = "nova-2";
    static final String DEEPGRAM_TTS = "aura-asteria-en";
    /** ElevenLabs' premade voice "Rachel". */
    static final String ELEVENLABS_VOICE = "21m00Tcm4TlvDq8ikWAM";

    static final URI OPENAI_URL = URI.create("https://api.openai.com/v1");
    static final URI GROQ_URL = URI.create("https://api.groq.com/openai/v1");

    private static final Logger log = LoggerFactory.getLogger(ProviderStacks.class);

    private final ProviderCredentials credentials;
    private final ProviderDefaults defaults;
    private final OfflineSpeech offline;
    private final Resilience resilience;

    ProviderStacks(ProviderCredentials credentials, ProviderDefaults defaults, OfflineSpeech offline,
            Resilience resilience) {
        this.credentials = credentials;
        this.defaults = defaults;
        this.offline = offline;
        this.resilience = resilience;
    }

    /**
     * The agent's providers for a call of organization {@code orgId}; close it when the call ends.
     *
     * @throws ApiException (service unavailable) when a kind the agent needs has no usable provider left
     */
    public VoiceStack forAgent(UUID orgId, AgentDefinition definition) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            AgentDefinition.Providers providers = definition.providers();
            SpeechToText stt = resilience.speechToText(
                    chain(orgId, Kind.STT, providers.stt(), opened, (c, credential) -> speechToText(c, credential, definition)),
                    ResiliencePolicy.speechToText());
            LanguageModel llm = providers.llm() == null ? null : resilience.languageModel(
                    chain(orgId, Kind.LLM, providers.llm(), opened, this::languageModel),
                    ResiliencePolicy.languageModel());
            TextToSpeech tts = resilience.textToSpeech(
                    chain(orgId, Kind.TTS, providers.tts(), opened, (c, credential) -> textToSpeech(c, credential, definition)),
                    ResiliencePolicy.textToSpeech());
            return new VoiceStack(stt, llm, tts, opened);
        } catch (RuntimeException e) {
            VoiceStack.closeAll(opened);
            throw e;
        }
    }

    /**
     * Only the agent's language model chain, for conversations without audio (text tests, memory
     * extraction); null when the agent has none. Closing the returned stack releases it.
     *
     * @throws ApiException (service unavailable) when the agent has a language model but none can run
     */
    public VoiceStack.LanguageModelOnly languageModelFor(UUID orgId, AgentDefinition definition) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            LanguageModel llm = definition.providers().llm() == null ? null : resilience.languageModel(
                    chain(orgId, Kind.LLM, definition.providers().llm(), opened, this::languageModel),
                    ResiliencePolicy.languageModel());
            return new VoiceStack.LanguageModelOnly(llm, opened);
        } catch (RuntimeException e) {
            VoiceStack.closeAll(opened);
            throw e;
        }
    }

    @FunctionalInterface
    private interface Factory<T> {
        /** The provider of one choice, or empty when it cannot run here (logged). */
        Optional<T> make(ProviderChoice choice, Credential credential);
    }

    private <T> FallbackChain<T> chain(UUID orgId, Kind kind, ProviderChain providers, List<AutoCloseable> opened,
            Factory<T> factory) {
        FallbackChain.Builder<T> chain = FallbackChain.builder();
        int links = 0;
        for (ProviderChoice choice : providers.choices()) {
            Credential credential = null;
            if (!"offline".equals(choice.provider())) {
                Optional<Credential> found = credentials.find(orgId, choice.provider())
                        .or(() -> defaults.find(choice.provider()));
                if (found.isEmpty()) {
                    log.warn("Skipping {} provider '{}': no credential for the organization and no server default",
                            kind.wire(), choice.provider());
                    continue;
                }
                credential = found.get();
            }
            Optional<T> provider = factory.make(choice, credential);
            if (provider.isEmpty()) {
                continue;
            }
            if (provider.get() instanceof AutoCloseable closeable) {
                opened.add(closeable);
            }
            chain.add(choice.provider(), credential == null ? ApiKey.none() : ApiKey.of(credential.apiKey()),
                    provider.get());
            links++;
        }
        if (links == 0) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "No " + kind.wire()
                    + " provider of this agent can run: none of " + providers.choices().stream()
                    .map(ProviderChoice::provider).toList() + " has a credential or an engine here.");
        }
        return chain.build();
    }

    private Optional<SpeechToText> speechToText(ProviderChoice choice, Credential credential, AgentDefinition agent) {
        String language = agent.language();
        return Optional.ofNullable(switch (choice.provider()) {
            case "offline" -> offline.recognizer().map(OfflineSpeechToText::new).orElseGet(() -> {
                log.warn("Skipping stt provider 'offline': pocketsphinx is not installed");
                return null;
            });
            case "openai", "groq" -> OpenAiTranscriptionSpeechToText.builder(ApiKey.of(credential.apiKey()))
                    .baseUrl(baseUrl(credential, "groq".equals(choice.provider()) ? GROQ_URL : OPENAI_URL))
                    .model(model(choice, "groq".equals(choice.provider()) ? GROQ_STT : OPENAI_STT))
                    .language(language.split("-")[0].toLowerCase(Locale.ROOT))
                    .build();
            case "deepgram" -> {
                DeepgramSpeechToText.Builder b = DeepgramSpeechToText.builder(ApiKey.of(credential.apiKey()),
                        resilience.scheduler()).model(model(choice, DEEPGRAM_STT)).language(language);
                if (credential.baseUrl() != null) {
                    b.baseUrl(URI.create(credential.baseUrl().replaceFirst("^http", "ws")));
                }
                yield b.build();
            }
            default -> unsupported(Kind.STT, choice);
        });
    }

    private Optional<LanguageModel> languageModel(ProviderChoice choice, Credential credential) {
        return Optional.ofNullable(switch (choice.provider()) {
            case "openai", "groq" -> new OpenAiCompatibleLanguageModel(OpenAiCompatibleConfig
                    .builder(baseUrl(credential, "groq".equals(choice.provider()) ? GROQ_URL : OPENAI_URL),
                            model(choice, "groq".equals(choice.provider()) ? GROQ_LLM : OPENAI_LLM))
                    .name(choice.provider())
                    .apiKey(credential.apiKey())
                    .build());
            case "anthropic" -> new AnthropicLanguageModel(AnthropicConfig
                    .builder(credential.apiKey(), model(choice, ANTHROPIC_LLM))
                    .name("anthropic")
                    .baseUrl(baseUrl(credential, AnthropicConfig.DEFAULT_BASE_URL))
                    .build());
            default -> unsupported(Kind.LLM, choice);
        });
    }

    private Optional<TextToSpeech> textToSpeech(ProviderChoice choice, Credential credential, AgentDefinition agent) {
        String voice = agent.voiceFor(choice);
        Scheduler scheduler = resilience.scheduler();
        return Optional.ofNullable(switch (choice.provider()) {
            // The agent's voice may name another provider's voice; flite then speaks with its default.
            case "offline" -> new OfflineTextToSpeech(offline,
                    voice != null && offline.voices().contains(voice) ? voice : null);
            case "openai" -> OpenAiSpeechTextToSpeech.builder(ApiKey.of(credential.apiKey()), scheduler)
                    .baseUrl(baseUrl(credential, OPENAI_URL))
                    .model(model(choice, OPENAI_TTS))
                    .voice(voice == null ? OPENAI_VOICE : voice)
                    .build();
            case "elevenlabs" -> {
                ElevenLabsTextToSpeech.Builder b = ElevenLabsTextToSpeech.builder(ApiKey.of(credential.apiKey()),
                        voice == null ? ELEVENLABS_VOICE : voice, scheduler);
                if (credential.baseUrl() != null) {
                    b.baseUrl(URI.create(credential.baseUrl()));
                }
                if (choice.model() != null) {
                    b.modelId(choice.model());
                }
                yield b.build();
            }
            // An Aura voice is a model: the choice's model, else the voice, else the default.
            case "deepgram" -> {
                DeepgramAuraTextToSpeech.Builder b = DeepgramAuraTextToSpeech.builder(ApiKey.of(credential.apiKey()),
                        scheduler).model(model(choice, voice != null ? voice : DEEPGRAM_TTS));
                if (credential.baseUrl() != null) {
                    b.baseUrl(URI.create(credential.baseUrl()));
                }
                yield b.build();
            }
            default -> unsupported(Kind.TTS, choice);
        });
    }

    private static <T> T unsupported(Kind kind, ProviderChoice choice) {
        log.warn("Skipping {} provider '{}': it offers no {}", kind.wire(), choice.provider(), kind.wire());
        return null;
    }

    private static String model(ProviderChoice choice, String fallback) {
        return choice.model() != null && !choice.model().isBlank() ? choice.model() : fallback;
    }

    private static URI baseUrl(Credential credential, URI fallback) {
        return credential.baseUrl() == null || credential.baseUrl().isBlank() ? fallback : URI.create(credential.baseUrl());
    }
}
