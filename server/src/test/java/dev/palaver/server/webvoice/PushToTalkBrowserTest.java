package dev.palaver.server.webvoice;

import static org.assertj.core.api.Assertions.assertThat;

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

import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.server.brain.FrontDesk;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Browser;
import dev.palaver.server.testing.SharedPalaverContext;
import dev.palaver.server.testing.TestDirs;

/** Push-to-talk on the talk page: the microphone is heard only while Space is held. */
class PushToTalkBrowserTest extends SharedPalaverContext {

    private Browser browser;
    private IdentityTestAccess.Login member;
    private String agentId;

    @BeforeEach
    void setUp() {
        UUID org = IdentityTestAccess.organization(context);
        member = IdentityTestAccess.member(context, org, Role.MEMBER);
        agentId = context.getBean(FrontDesk.class).create(org).toString();
        OfflineSpeech speech = context.getBean(OfflineSpeech.class);
        short[] question = speech.synthesize("What are your opening hours?");
        // The same question twice: once while Space is up (not heard), once while it is held.
        short[] microphone = Speech.concat(Speech.silence(6), question, Speech.silence(4), question, Speech.silence(90));
        Path wav = Speech.wavFile(TestDirs.target().resolve("webvoice"), "ptt-microphone.wav", microphone);
        browser = Browser.withFakeMicrophone(wav);
    }

    @AfterEach
    void tearDown() {
        browser.close();
    }

    @Test
    void onlySpeechWhileSpaceIsHeldReachesTheAgent() throws Exception {
        WebDriver driver = browser.driver();
        driver.get("http://127.0.0.1:" + port + "/agents/" + agentId + "/talk");
        new Actions(driver).sendKeys(member.email()).sendKeys(Keys.TAB).sendKeys(member.password()).sendKeys(Keys.ENTER).perform();
        browser.waiting(Duration.ofSeconds(30)).until(ExpectedConditions.titleIs("Talk to Front desk · Palaver"));
        WebElement pushToTalk = driver.findElement(By.cssSelector("input[value='push-to-talk']"));
        pushToTalk.sendKeys(Keys.SPACE);
        assertThat(pushToTalk.isSelected()).isTrue();
        WebElement captions = driver.findElement(By.id("talk-captions"));

        driver.findElement(By.xpath("//button[normalize-space()='Start call']")).sendKeys(Keys.ENTER);
        long started = System.nanoTime();
        browser.waiting(Duration.ofSeconds(20)).until(d -> driver.findElement(By.id("talk")).getAttribute("data-call-id") != null);
        captions.click();
        sleepUntil(started, 9.5);
        assertThat(captions.findElements(By.cssSelector(".caption-user"))).as("speech while Space is up").isEmpty();

        new Actions(driver).keyDown(Keys.SPACE).perform();
        assertThat(driver.findElement(By.id("talk-ptt")).getAttribute("aria-pressed")).isEqualTo("true");
        sleepUntil(started, 15.5);
        new Actions(driver).keyUp(Keys.SPACE).perform();

        browser.waiting(Duration.ofSeconds(30)).until(d -> captions.findElements(By.cssSelector(".caption-user[data-final='true']"))
                .stream().anyMatch(e -> e.getText().toLowerCase().contains("hours")));
        assertThat(captions.findElements(By.cssSelector(".caption-user[data-final='true']"))).hasSize(1);
        browser.screenshot("talk-push-to-talk");
        driver.findElement(By.xpath("//button[normalize-space()='End call']")).sendKeys(Keys.ENTER);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private static void sleepUntil(long startNanos, double seconds) throws InterruptedException {
        long wait = startNanos + (long) (seconds * 1e9) - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
    }
}
