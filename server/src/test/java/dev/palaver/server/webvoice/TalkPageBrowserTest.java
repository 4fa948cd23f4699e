package dev.palaver.server.webvoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import tools.jackson.databind.JsonNode;

import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.server.brain.FrontDesk;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Browser;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;
import dev.palaver.server.testing.TestDirs;

/**
 * Front desk's talk page in real Chromium with a fake microphone playing a flite WAV: ask the opening hours,
 * hear the reply, talk over it, end the call by keyboard, and find the recorded web call.
 */
class TalkPageBrowserTest extends SharedPalaverContext {

    static final Duration WAIT = Duration.ofSeconds(45);

    private Browser browser;
    private IdentityTestAccess.Login owner;
    private String admin;
    private String agentId;

    @BeforeEach
    void setUp() {
        UUID org = IdentityTestAccess.organization(context);
        owner = IdentityTestAccess.member(context, org, Role.OWNER);
        admin = IdentityTestAccess.adminToken(context, org);
        agentId = context.getBean(FrontDesk.class).create(org).toString();
        OfflineSpeech speech = context.getBean(OfflineSpeech.class);
        // Chromium loops the file: one pass holds the question, a pause while the reply starts, the caller
        // talking over it, then enough silence for the rest of the test.
        // The greeting plays first, so the question waits for it.
        short[] microphone = Speech.concat(Speech.silence(6), Speech.say(speech, "What are your opening hours?"),
                Speech.silence(4), Speech.say(speech, "Sorry, I have one more question."), Speech.silence(90));
        Path wav = Speech.wavFile(TestDirs.target().resolve("webvoice"), "talk-microphone.wav", microphone);
        browser = Browser.withFakeMicrophone(wav);
    }

    @AfterEach
    void tearDown() {
        browser.close();
    }

    @Test
    void askTheHoursHearTheReplyInterruptItAndFindTheCall() throws Exception {
        WebDriver driver = browser.driver();
        String base = "http://127.0.0.1:" + port;
        driver.get(base + "/agents/" + agentId + "/talk");
        new Actions(driver).sendKeys(owner.email()).sendKeys(Keys.TAB).sendKeys(owner.password()).sendKeys(Keys.ENTER).perform();
        browser.waiting(WAIT).until(ExpectedConditions.titleIs("Talk to Front desk · Palaver"));
        WebElement start = driver.findElement(By.xpath("//button[normalize-space()='Start call']"));
        WebElement end = driver.findElement(By.xpath("//button[normalize-space()='End call']"));
        WebElement captions = driver.findElement(By.cssSelector("[role='log'][aria-live='polite']"));
        WebElement talk = driver.findElement(By.id("talk"));
        browser.screenshot("talk-page");

        start.sendKeys(Keys.ENTER);

        browser.waiting(WAIT).until(d -> talk.getAttribute("data-call-id") != null);
        browser.waiting(WAIT).until(d -> captions.findElements(By.cssSelector(".caption-user[data-final='true']")).stream()
                .anyMatch(e -> e.getText().toLowerCase().contains("hours")));
        browser.waiting(WAIT).until(d -> captions.findElements(By.cssSelector(".caption-agent")).stream()
                .anyMatch(e -> e.getText().contains("Monday to Saturday")));
        browser.waiting(WAIT).until(d -> "true".equals(talk.getAttribute("data-playing")));
        browser.screenshot("talk-reply-playing");
        assertThat(driver.findElement(By.id("talk-state")).getText()).isEqualTo("Speaking");

        // The second utterance arrives while the long reply plays: the agent stops and the audio is dropped.
        browser.waiting(WAIT).until(d -> captions.findElements(By.cssSelector(".caption-agent[data-final='true']")).stream()
                .anyMatch(e -> e.getText().endsWith("—")));
        browser.waiting(Duration.ofSeconds(5)).until(d -> "false".equals(talk.getAttribute("data-playing")));
        browser.screenshot("talk-interrupted");
        String callId = talk.getAttribute("data-call-id");

        end.sendKeys(Keys.ENTER);
        browser.waiting(WAIT).until(d -> "Call ended".equals(d.findElement(By.id("talk-state")).getText()));
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Start call");
        browser.screenshot("talk-ended");

        JsonNode call = awaitEnded(callId);
        assertThat(call.get("direction").asString()).isEqualTo("web");
        assertThat(call.toString()).containsIgnoringCase("hours").contains("Monday to Saturday");
        HttpResponse<byte[]> recording;
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            recording = client.send(http.request("/api/v1/calls/" + callId + "/recording")
                    .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        assertThat(recording.statusCode()).isEqualTo(200);
        assertThat(recording.body().length).isGreaterThan(16_000 * 2 * 2 * 3);

        // The dashboard lists the call and shows its transcript and recording.
        driver.get(base + "/calls?direction=web");
        driver.findElement(By.cssSelector("a[href='/calls/" + callId + "']")).sendKeys(Keys.ENTER);
        browser.waiting(WAIT).until(ExpectedConditions.urlContains("/calls/" + callId));
        String page = driver.findElement(By.id("main")).getText();
        assertThat(page).containsIgnoringCase("opening hours").contains("Monday to Saturday");
        assertThat(driver.findElements(By.cssSelector("audio[src='/calls/" + callId + "/recording']"))).hasSize(1);
        browser.screenshot("talk-call-record");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private JsonNode awaitEnded(String callId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode body = Http.json(http.get("/api/v1/calls/" + callId, "Authorization", "Bearer " + admin));
            if (body.hasNonNull("endedAt") || System.nanoTime() > deadline) {
                assertThat(body.hasNonNull("endedAt")).as(body.toString()).isTrue();
                return body;
            }
            Thread.sleep(200);
        }
    }
}
