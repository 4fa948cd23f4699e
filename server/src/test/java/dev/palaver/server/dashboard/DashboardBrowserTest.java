package dev.palaver.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.palaver.server.brain.FrontDesk;
import dev.palaver.server.testing.Browser;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * The dashboard in real Chromium: every main page renders with a title, a heading and no console errors
 * (screenshots saved), an agent opens by keyboard, and two organizations never see each other's data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest extends SharedPalaverContext {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private DashboardData alpha;
    private DashboardData bravo;
    private Browser browser;

    @BeforeAll
    void organizations() {
        try (Http setup = new Http(port)) {
            alpha = DashboardData.create(context, setup, "Alpha");
            bravo = DashboardData.create(context, setup, "Bravo");
        }
        browser = Browser.start();
        signIn(alpha.owner().email(), alpha.owner().password());
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Each test judges only the console messages of its own pages. */
    @BeforeEach
    void drainConsole() {
        browser.consoleErrors();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private void signIn(String email, String password) {
        WebDriver driver = browser.driver();
        driver.get(url("/login"));
        new Actions(driver).sendKeys(email).sendKeys(Keys.TAB).sendKeys(password).sendKeys(Keys.ENTER).perform();
        browser.waiting(WAIT).until(ExpectedConditions.titleIs("Overview · Palaver"));
    }

    private List<String> mainPages() {
        return List.of("/", "/calls", "/calls/" + alpha.callId(), "/agents", "/agents/" + alpha.agentId(), "/knowledge",
                "/knowledge/" + alpha.knowledgeBaseId(), "/customers", "/appointments", "/phone-numbers", "/api-keys", "/members", "/audit",
                "/settings");
    }

    @Test
    void everyMainPageHasATitleAHeadingAndNoConsoleErrors() {
        WebDriver driver = browser.driver();
        for (String path : mainPages()) {
            driver.get(url(path));
            String name = path.equals("/") ? "overview" : path.substring(1).replace('/', '-');
            browser.screenshot("page-" + (name.length() > 40 ? name.substring(0, name.indexOf('-') + 1) + "detail" : name));
            assertThat(driver.getTitle()).as(path).endsWith(" · Palaver").isNotEqualTo("Not found · Palaver");
            assertThat(driver.findElements(By.tagName("h1"))).as(path).hasSize(1);
            assertThat(driver.findElements(By.cssSelector("main#main"))).as(path).hasSize(1);
            assertThat(driver.findElements(By.cssSelector("nav[aria-label='Main'] a[aria-current='page']"))).as(path).hasSize(1);
            assertThat(browser.consoleErrors()).as(path).isEmpty();
        }
    }

    @Test
    void anAgentOpensByKeyboardAndOffersItsTalkPage() {
        WebDriver driver = browser.driver();
        driver.get(url("/agents"));
        WebElement link = null;
        for (int i = 0; i < 40 && link == null; i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            WebElement active = driver.switchTo().activeElement();
            if ("Alpha desk".equals(active.getText())) {
                link = active;
            }
        }
        assertThat(link).as("the agent's link is reachable with Tab").isNotNull();
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        browser.waiting(WAIT).until(ExpectedConditions.titleIs("Alpha desk · Agents · Palaver"));
        assertThat(driver.findElement(By.linkText("Talk to this agent")).getAttribute("href"))
                .endsWith("/agents/" + alpha.agentId() + "/talk");
        assertThat(driver.findElement(By.id("definition")).getAttribute("value")).contains("\"name\" : \"Alpha desk\"");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aCallShowsItsTranscriptRecordingLatencyChartAndTools() {
        WebDriver driver = browser.driver();
        driver.get(url("/calls"));
        driver.findElement(By.cssSelector("main table a")).click();
        browser.waiting(WAIT).until(ExpectedConditions.titleContains("Calls · Palaver"));
        assertThat(driver.getCurrentUrl()).endsWith("/calls/" + alpha.callId());
        String transcript = driver.findElement(By.cssSelector("section[aria-labelledby=transcript-heading]")).getText();
        assertThat(transcript).contains("When does Alpha open?").contains("Alpha opens at nine.")
                .contains("interrupted").contains("0:00.5");
        assertThat(driver.findElement(By.cssSelector("section[aria-labelledby=tools-heading]")).getText())
                .contains("knowledge_search").contains("open 9 to 5").contains("42 ms");
        // The recording plays: the audio element loaded its metadata (1 s of a two-channel WAV) through the page session.
        browser.waiting(WAIT).until(d -> ((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.querySelector('audio').readyState >= 1"));
        Object duration = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.querySelector('audio').duration");
        assertThat(((Number) duration).doubleValue()).isBetween(0.9, 1.1);
        // Chart.js drew the per-turn latency chart.
        assertThat(((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("return window.Chart.getChart(document.querySelector('canvas[data-chart=turn-chart]')).data.labels.length"))
                .isEqualTo(2L);
        browser.screenshot("call-detail");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theOverviewCountsTodaysCallsAndDrawsLatency() {
        WebDriver driver = browser.driver();
        driver.get(url("/"));
        assertThat(driver.findElement(By.id("calls-today")).getText()).isEqualTo("1");
        assertThat(driver.findElement(By.id("errors-today")).getText()).isEqualTo("1");
        assertThat(driver.findElement(By.id("average-duration")).getText()).isEqualTo("7 s");
        assertThat(((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("return window.Chart.getChart(document.querySelector('canvas[data-chart=latency-chart]')).data.datasets.length"))
                .isEqualTo(2L);
        assertThat(driver.findElement(By.cssSelector("section[aria-labelledby=errors-heading]")).getText())
                .contains("the voice provider timed out");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theTestPanelHoldsAConversationByKeyboard() {
        UUID frontDesk = context.getBean(FrontDesk.class).create(alpha.orgId());
        WebDriver driver = browser.driver();
        driver.get(url("/agents/" + frontDesk));
        driver.findElement(By.id("test-text")).sendKeys("What are your opening hours?", Keys.ENTER);
        browser.waiting(WAIT).until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#test-log li.agent"), 1));
        String log = driver.findElement(By.id("test-log")).getText();
        assertThat(log).contains("You: What are your opening hours?");
        assertThat(driver.findElement(By.id("test-log")).getAttribute("aria-live")).isEqualTo("polite");
        assertThat(driver.findElement(By.id("test-text")).getAttribute("value")).isEmpty();
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("test-text");
        String session = driver.findElement(By.id("test-session")).getAttribute("value");
        assertThat(session).matches("[0-9a-f-]{36}");
        driver.findElement(By.id("test-text")).sendKeys("Where are you?", Keys.ENTER);
        browser.waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-log"), "You: Where are you?"));
        assertThat(driver.findElement(By.id("test-session")).getAttribute("value")).isEqualTo(session);
        browser.screenshot("agent-test-panel");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void checkingAnInvalidDefinitionShowsTheValidatorsMessages() {
        WebDriver driver = browser.driver();
        driver.get(url("/agents/" + alpha.agentId()));
        WebElement editor = driver.findElement(By.id("definition"));
        editor.clear();
        editor.sendKeys("{\"name\": \"\", \"brain\": \"flow\"}");
        driver.findElement(By.xpath("//button[normalize-space()='Check']")).click();
        browser.waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("definition-issues"), "problems"));
        String issues = driver.findElement(By.id("definition-issues")).getText();
        assertThat(issues).contains("name").contains("flow");
        browser.screenshot("agent-validation-messages");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void noPageShowsTheOtherOrganizationsData() {
        WebDriver driver = browser.driver();
        for (String path : mainPages()) {
            driver.get(url(path));
            String html = driver.getPageSource();
            assertThat(html).as(path).doesNotContain("Bravo").doesNotContain(bravo.agentId().toString())
                    .doesNotContain(bravo.callId().toString()).doesNotContain(DashboardData.phone("Bravo"))
                    .doesNotContain(bravo.line())
                    .doesNotContain(bravo.knowledgeBaseId().toString()).doesNotContain(bravo.owner().email());
        }
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theOtherOrganizationsIdsInUrlsAreNotFound() {
        WebDriver driver = browser.driver();
        for (String path : List.of("/agents/" + bravo.agentId(), "/knowledge/" + bravo.knowledgeBaseId(),
                "/calls/" + bravo.callId(), "/calls/" + bravo.callId() + "/recording")) {
            driver.get(url(path));
            assertThat(driver.getTitle()).as(path).isEqualTo("Not found · Palaver");
            assertThat(driver.findElement(By.cssSelector("main [role=alert]")).getText()).as(path).startsWith("No such");
            assertThat(driver.getPageSource()).as(path).doesNotContain("Bravo");
        }
        browser.screenshot("other-org-not-found");
        // A 404 document is reported on the console by Chromium itself; that is the expected outcome here.
        assertThat(browser.consoleErrors()).allSatisfy(e -> assertThat(e).contains("404"));
    }
}
