package dev.palaver.server.webvoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Browser;
import dev.palaver.server.testing.SharedPalaverContext;

/** The talk page's shape in real Chromium: sign-in required, named controls, a live caption log, keyboard reach. */
class TalkPageTest extends SharedPalaverContext {

    private Browser browser;
    private IdentityTestAccess.Login member;
    private String agentId;
    private String strangersAgentId;

    @BeforeEach
    void setUp() {
        UUID org = IdentityTestAccess.organization(context);
        member = IdentityTestAccess.member(context, org, Role.MEMBER);
        agentId = PublishableKeysTest.createAgent(http, IdentityTestAccess.adminToken(context, org));
        UUID other = IdentityTestAccess.organization(context);
        strangersAgentId = PublishableKeysTest.createAgent(http, IdentityTestAccess.adminToken(context, other));
        browser = Browser.start();
    }

    @AfterEach
    void tearDown() {
        browser.close();
    }

    private void signIn(String path) {
        WebDriver driver = browser.driver();
        driver.get("http://127.0.0.1:" + port + path);
        assertThat(driver.getCurrentUrl()).contains("/login");
        new Actions(driver).sendKeys(member.email()).sendKeys(Keys.TAB).sendKeys(member.password()).sendKeys(Keys.ENTER).perform();
        browser.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
    }

    @Test
    void theTalkPageHasNamedControlsALiveCaptionLogAndIsReachableByKeyboard() {
        signIn("/agents/" + agentId + "/talk");
        WebDriver driver = browser.driver();

        assertThat(driver.getTitle()).startsWith("Talk to Embedded ").endsWith(" · Palaver");
        assertThat(driver.findElements(By.xpath("//button[normalize-space()='Start call']"))).hasSize(1);
        assertThat(driver.findElement(By.xpath("//button[normalize-space()='End call']")).isEnabled()).isFalse();
        assertThat(driver.findElements(By.cssSelector("[role='log'][aria-live='polite']"))).hasSize(1);
        assertThat(driver.findElement(By.id("talk-connection")).getText()).isEqualTo("Not in a call");
        // From the main landmark, Tab reaches Start call before anything else of the page.
        driver.findElement(By.id("main")).click();
        new Actions(driver).sendKeys(Keys.TAB).perform();
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Start call");
        browser.screenshot("talk-page-idle");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void anotherOrganizationsAgentIsNotFound() {
        signIn("/agents/" + strangersAgentId + "/talk");

        assertThat(browser.driver().findElement(By.tagName("body")).getText()).doesNotContain("Start call");
        assertThat(browser.driver().getTitle()).doesNotStartWith("Talk to");
    }
}
