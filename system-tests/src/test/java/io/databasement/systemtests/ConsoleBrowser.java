package io.databasement.systemtests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in the machine's headless Chromium, driven by its chromedriver (both from Debian packages:
 * nothing is downloaded), with the steps a user takes: sign in, open a page, fill a labelled field, press a
 * button. Every page visited can be saved as a numbered screenshot.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final String baseUrl;
    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final Path profile;
    private int shots;

    private ConsoleBrowser(String baseUrl, ChromeDriver driver, Path profile) {
        this.baseUrl = baseUrl;
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        // pages re-render on live events: an element found a moment ago may be gone; the next poll looks again
        this.wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Skips the calling test (an assumption, not a failure) where Chromium or its driver is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "console browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    static ConsoleBrowser start(String baseUrl) {
        try {
            Path profile = Files.createTempDirectory("dbm-console-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--window-size=1400,1000");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            Files.createDirectories(SCREENSHOTS);
            try (var old = Files.newDirectoryStream(SCREENSHOTS, "*.png")) {
                for (Path png : old) {
                    Files.delete(png); // numbers restart each run: an earlier run's pictures would mix in
                }
            }
            return new ConsoleBrowser(baseUrl, new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    WebDriverWait await() {
        return wait;
    }

    /**
     * Opens the console at the gateway's root address with a fresh tab session (no token kept). The session is
     * cleared on another page of the gateway, where no console is busy signing in with the old token.
     */
    void openSignedOut() {
        driver.get(baseUrl + "/actuator/health");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.get(baseUrl + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    void signIn(String token, String expectedRole) {
        openSignedOut();
        fill(driver.findElement(By.tagName("form")), "API token", token);
        button("Sign in").click();
        // the badge shows the role in capitals (CSS); its text is the API's word
        wait.until(ExpectedConditions.domPropertyToBe(driver.findElement(By.id("who-role")), "textContent", expectedRole));
    }

    /** Goes to a console page by its hash route, e.g. {@code /snapshots}, and waits for its heading. */
    void go(String route, String heading) {
        driver.get(baseUrl + "/#" + route);
        heading(heading);
    }

    void heading(String text) {
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#page h1"), text));
    }

    /** A visible button by its label, anywhere on the page (dialogs included). */
    WebElement button(String label) {
        return wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//button[normalize-space()=" + xpathLiteral(label) + "]")));
    }

    /** The button with this label inside the given element. */
    WebElement button(WebElement scope, String label) {
        return scope.findElement(By.xpath(".//button[normalize-space()=" + xpathLiteral(label) + "]"));
    }

    boolean hasButton(String label) {
        return !driver.findElements(By.xpath("//button[normalize-space()=" + xpathLiteral(label) + "]")).isEmpty();
    }

    WebElement dialog() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
    }

    void awaitNoDialog() {
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
    }

    /** The control a label names (by {@code for}), within scope. */
    WebElement labelled(WebElement scope, String label) {
        WebElement element = scope.findElement(By.xpath(".//label[normalize-space()=" + xpathLiteral(label) + "]"));
        return scope.findElement(By.id(element.getDomAttribute("for")));
    }

    void fill(WebElement scope, String label, String value) {
        WebElement input = labelled(scope, label);
        input.clear();
        input.sendKeys(value);
    }

    /** Picks the option of a labelled select whose text starts with the given text. */
    void choose(WebElement scope, String label, String optionStart) {
        Select select = new Select(labelled(scope, label));
        List<WebElement> options = select.getOptions();
        WebElement option = options.stream().filter(o -> o.getText().startsWith(optionStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no option starting with " + optionStart + " in "
                        + options.stream().map(WebElement::getText).toList()));
        select.selectByValue(option.getDomAttribute("value"));
    }

    WebElement row(String selector) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(selector)));
    }

    /**
     * The status badge's word (COMPLETED, IN_PROGRESS…) of the row the selector finds; null while it is absent, or
     * when the live refresh replaced the row between finding the badge and reading it (the next look finds the new one).
     */
    String statusOf(String rowSelector) {
        try {
            List<WebElement> badges = driver.findElements(By.cssSelector(rowSelector + " [data-col=status] .badge"));
            return badges.isEmpty() ? null : badges.get(0).getDomAttribute("data-status");
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
    }

    WebElement active() {
        return driver.switchTo().activeElement();
    }

    void press(CharSequence key) {
        active().sendKeys(key);
    }

    /** Presses Tab until the focused element is a button with this label; fails after max presses. */
    WebElement tabTo(String buttonLabel, int max) {
        for (int i = 0; i < max; i++) {
            press(Keys.TAB);
            WebElement focused = active();
            if ("button".equals(focused.getTagName()) && buttonLabel.equals(focused.getText().trim())) {
                return focused;
            }
        }
        throw new AssertionError("Tab never reached the button " + buttonLabel);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves the page as target/console-screenshots/<nn>-<name>.png. */
    void screenshot(String name) {
        Path target = SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, name));
        try {
            Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind is harmless
        }
    }

    private static String xpathLiteral(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }
}
