package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.providers.anthropic.AnthropicConfig;
import dev.palaver.providers.anthropic.AnthropicLanguageModel;
import dev.palaver.providers.openai.OpenAiCompatibleConfig;
import dev.palaver.providers.openai.OpenAiCompatibleEmbedder;
import dev.palaver.providers.openai.OpenAiCompatibleLanguageModel;
import dev.palaver.providers.openai.OpenAiEmbeddingConfig;
import dev.palaver.providers.testing.LoopbackServer;
import dev.palaver.providers.testing.Ports;
import dev.palaver.providers.testing.RecordingListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every provider through failures while capturing all logging (SLF4J at TRACE and java.util.logging,
 * where the JDK HTTP client logs) and asserts the API key and secret header values appear in no log line,
 * no listener error, no exception message or stack trace.
 */
class SecretsNeverLeakTest {

    private static final String KEY = "sk-proj-Vx7Nq2Ld9Kw4Hs1Jb6Tm3Pz8";
    private static final String HEADER_SECRET = "hdr-secret-Ry5Gc0Fa";
    private static final Duration T = Duration.ofMillis(300);
    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(T, T, T, Duration.ofSeconds(5));
    private static final LlmRequest REQUEST = new LlmRequest(List.of(new UserMessage("Hi")), List.of());

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<String> julLines = new CopyOnWriteArrayList<>();
    private final Handler julHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            julLines.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;
    private java.util.logging.Level previousJulLevel;
    private LoopbackServer server;
    private final List<String> seen = new ArrayList<>();

    @BeforeEach
    void capture() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        appender.start();
        root.addAppender(appender);
        java.util.logging.Logger julRoot = LogManager.getLogManager().getLogger("");
        previousJulLevel = julRoot.getLevel();
        julRoot.setLevel(java.util.logging.Level.ALL);
        julRoot.addHandler(julHandler);
        server = LoopbackServer.start();
    }

    @AfterEach
    void release() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        root.setLevel(previousLevel);
        java.util.logging.Logger julRoot = LogManager.getLogManager().getLogger("");
        julRoot.removeHandler(julHandler);
        julRoot.setLevel(previousJulLevel);
        server.close();
    }

    private static String echoingKey() {
        return "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + " with " + HEADER_SECRET
                + "\",\"type\":\"" + KEY + "\",\"code\":\"" + HEADER_SECRET + "\"}}";
    }

    private List<LoopbackServer.Response> faults() {
        return List.of(
                LoopbackServer.Response.status(401).fixedLength().write(echoingKey()),
                LoopbackServer.Response.status(403).fixedLength().write(echoingKey()),
                LoopbackServer.Response.status(429).header("Retry-After", "1").fixedLength().write(echoingKey()),
                LoopbackServer.Response.status(500).fixedLength().write(echoingKey()),
                LoopbackServer.Response.sse().write("data: " + KEY + "\n\n").stall(),
                LoopbackServer.Response.sse().write("data: {\"error\":" + echoingKey() + "}\n\n"),
                LoopbackServer.Response.sse().write("data: {\"choices\":[]}\n\n").stall(),
                LoopbackServer.Response.sse().write("data: {\"choices\":[]}\n\n").drop(),
                LoopbackServer.Response.sse());
    }

    private void runStreams(Function<URI, LanguageModel> factory) throws Exception {
        for (URI root : List.of(server.url(""), URI.create("http://127.0.0.1:" + Ports.closed()))) {
            LanguageModel model = factory.apply(root);
            try {
                for (LoopbackServer.Response fault : root.getPort() == server.url("").getPort() ? faults() : List.of(
                        LoopbackServer.Response.noResponse())) {
                    server.enqueue(fault);
                    RecordingListener listener = new RecordingListener();
                    model.stream(REQUEST, listener);
                    listener.awaitTerminal(Duration.ofSeconds(5));
                    seen.add(listener.error());
                }
                // A listener that throws makes the provider log.
                server.enqueue(LoopbackServer.Response.sse().write("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n")
                        .write("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n").stall());
                RecordingListener throwing = new RecordingListener();
                throwing.onTextDo(t -> {
                    throw new IllegalStateException("listener bug");
                });
                model.stream(REQUEST, throwing);
                throwing.awaitTerminal(Duration.ofSeconds(5));
                seen.add(throwing.error());
            } finally {
                ((AutoCloseable) model).close();
            }
        }
    }

    @Test
    void keysNeverReachLogsErrorsOrExceptions() throws Exception {
        runStreams(root -> new OpenAiCompatibleLanguageModel(OpenAiCompatibleConfig.builder(URI.create(root + "/v1"), "m")
                .apiKey(KEY).header("X-Secret", HEADER_SECRET).timeouts(TIMEOUTS).build()));
        runStreams(root -> new AnthropicLanguageModel(AnthropicConfig.builder(KEY, "m").baseUrl(root)
                .header("X-Secret", HEADER_SECRET).timeouts(TIMEOUTS).build()));

        try (OpenAiCompatibleEmbedder embedder = new OpenAiCompatibleEmbedder(OpenAiEmbeddingConfig
                .builder(URI.create(server.url("") + "/v1"), "e", 3).apiKey(KEY).header("X-Secret", HEADER_SECRET)
                .timeouts(TIMEOUTS).build())) {
            for (LoopbackServer.Response fault : List.of(
                    LoopbackServer.Response.status(401).fixedLength().write(echoingKey()),
                    LoopbackServer.Response.json(echoingKey()),
                    LoopbackServer.Response.json("{\"data\":\"" + KEY + "\"}"),
                    LoopbackServer.Response.noResponse())) {
                server.enqueue(fault);
                try {
                    embedder.embed("text");
                } catch (ProviderException e) {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    seen.add(trace.toString());
                }
            }
        }

        assertThat(seen).hasSizeGreaterThan(20);
        assertThat(seen).anySatisfy(text -> assertThat(text).contains("[redacted]"));
        List<String> logLines = new ArrayList<>();
        for (ILoggingEvent event : appender.list) {
            logLines.add(event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
        logLines.addAll(julLines);
        assertThat(logLines).as("the throwing listener was logged").anySatisfy(line -> assertThat(line).contains("listener threw"));
        for (String text : seen) {
            assertThat(text).doesNotContain(KEY).doesNotContain(HEADER_SECRET).doesNotContain(KEY.substring(8));
        }
        for (String line : logLines) {
            assertThat(line).doesNotContain(KEY).doesNotContain(HEADER_SECRET).doesNotContain(KEY.substring(8));
        }
    }
}
