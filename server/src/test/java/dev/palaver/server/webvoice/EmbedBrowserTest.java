package dev.palaver.server.webvoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.server.brain.FrontDesk;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.Browser;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;
import dev.palaver.server.testing.TestDirs;

/**
 * A customer's page on another origin embeds Front desk with a publishable key: the drop-in script mints a
 * session token, loads the worklet across origins, and holds a call in real Chromium.
 */
class EmbedBrowserTest extends SharedPalaverContext {

    private HttpServer shop;
    private Browser browser;
    private String admin;
    private String agentId;

    @BeforeEach
    void setUp() throws IOException {
        UUID org = IdentityTestAccess.organization(context);
        admin = IdentityTestAccess.adminToken(context, org);
        agentId = context.getBean(FrontDesk.class).create(org).toString();
        shop = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        shop.start();
        String shopOrigin = "http://127.0.0.1:" + shop.getAddress().getPort();
        HttpResponse<String> key = http.postJson("/api/v1/agents/" + agentId + "/publishable-keys",
                "{\"allowedOrigins\": [\"" + shopOrigin + "\"]}", "Authorization", "Bearer " + admin);
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        String page = """
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour Hair</title></head>
                <body><h1>Harbour Hair</h1>
                <script src="http://127.0.0.1:%d/webvoice/embed.js" data-key="%s" data-agent="%s" defer></script>
                </body></html>""".formatted(port, Http.json(key).get("publishableKey").asString(), agentId);
        shop.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        OfflineSpeech speech = context.getBean(OfflineSpeech.class);
        short[] microphone = Speech.concat(Speech.silence(6), Speech.say(speech, "What are your opening hours?"),
                Speech.silence(90));
        Path wav = Speech.wavFile(TestDirs.target().resolve("webvoice"), "embed-microphone.wav", microphone);
        browser = Browser.withFakeMicrophone(wav);
    }

    @AfterEach
    void tearDown() {
        browser.close();
        shop.stop(0);
    }

    @Test
    void aCustomersPageHoldsACallThroughTheEmbedScript() {
        WebDriver driver = browser.driver();
        driver.get("http://127.0.0.1:" + shop.getAddress().getPort() + "/");
        WebElement talk = browser.waiting(Duration.ofSeconds(20)).until(d -> d.findElements(
                By.xpath("//button[normalize-space()='Talk to us']")).stream().findFirst().orElse(null));

        talk.click();

        WebElement log = driver.findElement(By.cssSelector("[role='log'][aria-live='polite']"));
        browser.waiting(Duration.ofSeconds(45)).until(d -> log.getText().contains("Monday to Saturday"));
        assertThat(log.getText().toLowerCase()).contains("you: ").contains("hours");
        browser.screenshot("embed-call");
        driver.findElement(By.xpath("//button[normalize-space()='End call']")).click();
        browser.waiting(Duration.ofSeconds(15)).until(d -> d.findElements(
                By.xpath("//button[normalize-space()='Talk to us']")).size() == 1);
        assertThat(browser.consoleErrors()).isEmpty();
        String calls = http.get("/api/v1/calls?direction=web&agentId=" + agentId, "Authorization", "Bearer " + admin).body();
        assertThat(calls).contains("publishableKeyId");
    }
}
