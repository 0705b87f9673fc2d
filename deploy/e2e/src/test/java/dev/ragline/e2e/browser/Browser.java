package dev.ragline.e2e.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium, driven through Debian's chromedriver, with a profile of its own (so two
 * of them are two separate users: own session storage, own cookies), pointed at the front door.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("ragline.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("ragline.chromedriver", "/usr/bin/chromedriver");

    private final URI base;
    private final Path profile;
    private final ChromeDriver driver;

    private Browser(URI base, Path profile, ChromeDriver driver) {
        this.base = base;
        this.profile = profile;
        this.driver = driver;
    }

    static Browser open(URI base) {
        return open(base, new Dimension(1280, 900));
    }

    static Browser open(URI base, Dimension window) {
        try {
            Path profile = Files.createTempDirectory("ragline-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile,
                    "--window-size=" + window.getWidth() + "," + window.getHeight());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            return new Browser(base, profile, new ChromeDriver(service, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    void go(String fragment) {
        driver.get(base.resolve("/" + fragment).toString());
    }

    /** Signs in through the form, as a person would, and waits for the landing page. */
    void signIn(String tenant, String email, String password) {
        go("");
        WebElement tenantField = await(d -> d.findElement(By.id("tenant")));
        tenantField.clear();
        tenantField.sendKeys(tenant);
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector(".signin form button[type=submit]")).click();
        await(d -> !d.findElements(By.cssSelector("[data-testid=who]")).isEmpty());
    }

    /** Sends a chat message and waits for the assistant's reply to finish; returns that reply. */
    WebElement chat(String message) {
        int before = all(".msg.assistant").size();
        WebElement input = await(d -> d.findElement(By.id("chat-input")));
        await(d -> input.isEnabled() && d.findElement(By.id("chat-send")).isEnabled());
        input.sendKeys(message);
        driver.findElement(By.id("chat-send")).click();
        return await(Duration.ofSeconds(60), d -> {
            List<WebElement> replies = d.findElements(By.cssSelector(".msg.assistant"));
            return replies.size() > before && replies.getLast().getAttribute("data-done") != null
                    ? replies.getLast()
                    : null;
        });
    }

    /** Waits for the page's order stream to be open ("Live"). */
    void awaitLive(String indicatorId) {
        await(d -> "Live".equals(d.findElement(By.id(indicatorId)).getText()));
    }

    <T> T await(Function<WebDriver, T> condition) {
        return await(Duration.ofSeconds(30), condition);
    }

    <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        // A view re-rendered between lookup and read leaves a stale element: that is "not yet", not a failure.
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    byte[] screenshot() {
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }

    /** What the page says, for assertion messages. */
    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
