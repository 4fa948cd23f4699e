package dev.palaver.server.dashboard;

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

/** Signing in to the dashboard in real Chromium with the keyboard alone. */
class LoginBrowserTest extends SharedPalaverContext {

    private Browser browser;
    private IdentityTestAccess.Login owner;

    @BeforeEach
    void open() {
        UUID org = IdentityTestAccess.organization(context);
        owner = IdentityTestAccess.member(context, org, Role.OWNER);
        browser = Browser.start();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    @Test
    void signInByKeyboardOnlyLandsOnTheOverview() {
        WebDriver driver = browser.driver();
        driver.get("http://127.0.0.1:" + port + "/?from=test");
        assertThat(driver.getCurrentUrl()).contains("/login");
        assertThat(driver.getTitle()).isEqualTo("Sign in · Palaver");
        Actions keys = new Actions(driver);
        // The email field has focus on arrival; Tab moves to the password, Enter submits.
        keys.sendKeys(owner.email()).sendKeys(Keys.TAB).sendKeys(owner.password()).sendKeys(Keys.ENTER).perform();
        browser.waiting(Duration.ofSeconds(15)).until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
        browser.screenshot("after-login");
        assertThat(driver.getCurrentUrl()).endsWith("/?from=test");
        assertThat(driver.getTitle()).isEqualTo("Overview · Palaver");
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("Overview");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theSkipLinkIsTheFirstStopAndMovesFocusToTheMainContent() {
        WebDriver driver = browser.driver();
        driver.get("http://127.0.0.1:" + port + "/login");
        new Actions(driver).sendKeys(owner.email()).sendKeys(Keys.TAB).sendKeys(owner.password()).sendKeys(Keys.ENTER).perform();
        browser.waiting(Duration.ofSeconds(15)).until(ExpectedConditions.titleIs("Overview · Palaver"));
        new Actions(driver).sendKeys(Keys.TAB).perform();
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Skip to main content");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
        browser.screenshot("overview");
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
