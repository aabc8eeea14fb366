package dev.modelfeedback.servlet.page;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium ({@link Chromium}), read the way a person reads it:
 * by the text it shows. Waits are bounded (30 s) and fail naming what was last seen.
 */
public final class StatusPageBrowser implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ChromeDriver driver = Chromium.start();

    /** Opens the page and waits until it has drawn the models (or said that there are none). */
    public void open(URI page) {
        driver.get(page.toString());
        waitUntil("the page draws its models", () -> count("#models section.model, #models .empty") > 0);
    }

    /** The value shown for a metric, e.g. {@code ("default", "lifetime", "accuracy")}: {@code 0.850}. */
    public String metric(String model, String window, String metric) {
        return text(model(model) + " tr[data-metric='" + metric + "'] td[data-window='" + window + "'] .value");
    }

    /** Waits until a metric shows {@code expected}. */
    public void waitForMetric(String model, String window, String metric, String expected) {
        waitUntil(model + " " + window + " " + metric + " to show " + expected,
                () -> expected.equals(textOrNull(model(model) + " tr[data-metric='" + metric + "'] td[data-window='" + window + "'] .value")));
    }

    /**
     * A value as the page writes it: three decimals, rounded as JavaScript's {@code toFixed(3)} rounds
     * the double (the nearer of the two on its exact binary value, the larger on a tie), {@code n/a}
     * for NaN.
     */
    public static String fixed3(double value) {
        return Double.isNaN(value) ? "n/a" : new BigDecimal(value).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    /** The CSS selector of a model's card (its first version's, if it has several). */
    public static String model(String model) {
        return "section.model[data-model='" + model + "']";
    }

    /** The CSS selector of one version's card. */
    public static String model(String model, String version) {
        return model(model) + "[data-version='" + version + "']";
    }

    /**
     * The chart's legend in a card, one {@code "label value"} per series, as it shows without the
     * pointer over the chart, e.g. {@code ["Time 15:02:05", "Accuracy 0.500", ...]}.
     */
    @SuppressWarnings("unchecked")
    public List<String> legend(String card) {
        return (List<String>) Objects.requireNonNull(driver.executeScript(
                "const card = document.querySelector(arguments[0]); if (!card) return [];"
                        + " return Array.from(card.querySelectorAll('.u-legend .u-series'),"
                        + " r => r.querySelector('.u-label').innerText + ' ' + r.querySelector('.u-value').innerText);", card));
    }

    /**
     * Moves the pointer over a chart's plotting area, as a person points at a point of it.
     *
     * @param chart the CSS selector of an element holding one chart
     * @param x where across the area, from 0 (left) to 1 (right): for a scale from 0 to 1, the value
     * @param y where up the area, from 0 (bottom) to 1 (top)
     */
    public void pointAt(String chart, double x, double y) {
        WebElement area = driver.findElement(By.cssSelector(chart + " .u-over"));
        Dimension size = area.getSize();
        // Selenium's offsets are from the element's centre.
        int dx = (int) Math.round((x - 0.5) * size.getWidth());
        int dy = (int) Math.round((0.5 - y) * size.getHeight());
        new Actions(driver).moveToElement(area, dx, dy).perform();
    }

    /**
     * Records every text drawn on a canvas (the charts' axis labels, which are not in the DOM) in
     * the pages opened from now on, from their first drawing; see {@link #canvasTexts()}.
     */
    public void recordCanvasTexts() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.canvasTexts = []; const fill = CanvasRenderingContext2D.prototype.fillText;"
                        + " CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {"
                        + " window.canvasTexts.push(String(text)); return fill.call(this, text, ...rest); };"));
    }

    /** The texts drawn on canvases since {@link #recordCanvasTexts()}, in order, without repeats. */
    @SuppressWarnings("unchecked")
    public List<String> canvasTexts() {
        return (List<String>) Objects.requireNonNull(driver.executeScript(
                "return Array.from(new Set(window.canvasTexts || []));"));
    }

    /** Where an element is on the page: {@code [left, top, width, height]} in CSS pixels, or an error if absent. */
    @SuppressWarnings("unchecked")
    public List<Number> box(String css) {
        List<Number> box = (List<Number>) driver.executeScript("const e = document.querySelector(arguments[0]);"
                + " if (!e) return null; const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height];", css);
        if (box == null) {
            throw new AssertionError("nothing matches " + css + "; the page shows:\n" + textOrNull("body"));
        }
        return box;
    }

    /** Resizes the window, e.g. to a phone's width, and waits until the page has been laid out at it. */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        waitUntil("the page to be " + width + " pixels wide", () -> ((Number) Objects.requireNonNull(
                driver.executeScript("return window.innerWidth;"))).intValue() <= width);
    }

    /**
     * The visible text of the first element matching {@code css}, read in one step inside the page
     * (the page redraws its cards every few seconds, so an element found first may be gone when read).
     *
     * @throws AssertionError if nothing matches
     */
    public String text(String css) {
        String text = textOrNull(css);
        if (text == null) {
            throw new AssertionError("nothing matches " + css + "; the page shows:\n" + textOrNull("body"));
        }
        return text;
    }

    /** The visible texts of every element matching {@code css}. */
    @SuppressWarnings("unchecked")
    public List<String> texts(String css) {
        return (List<String>) Objects.requireNonNull(driver.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText);", css));
    }

    /** How many elements match {@code css}. */
    public int count(String css) {
        return ((Number) Objects.requireNonNull(driver.executeScript(
                "return document.querySelectorAll(arguments[0]).length;", css))).intValue();
    }

    /** Runs a script in the page and returns its result. */
    public Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    /** Every URL the page has fetched (document, scripts, styles, JSON), as the browser recorded them. */
    @SuppressWarnings("unchecked")
    public List<String> fetched() {
        return (List<String>) Objects.requireNonNull(driver.executeScript(
                "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));"));
    }

    /** Waits until the page has fetched its JSON at least {@code times} more times: it refreshed. */
    public void waitForRefreshes(int times) {
        long before = fetchesOfJson();
        waitUntil("the page to refresh " + times + " times", () -> fetchesOfJson() >= before + times);
    }

    private long fetchesOfJson() {
        return ((Number) Objects.requireNonNull(driver.executeScript(
                "return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'fetch').length;"))).longValue();
    }

    /** Writes a PNG of the whole page, 1280 pixels wide (the window grown to its height), to {@code file}, creating its directory. */
    public Path screenshot(Path file) {
        return screenshot(file, 1280);
    }

    /** Writes a PNG of the whole page at a window {@code width} pixels wide (grown to its height) to {@code file}. */
    public Path screenshot(Path file, int width) {
        driver.manage().window().setSize(new Dimension(width, 1100));
        int height = ((Number) Objects.requireNonNull(driver.executeScript(
                "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight;"))).intValue();
        driver.manage().window().setSize(new Dimension(width, Math.min(4000, height)));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds, or fails naming {@code what}. */
    public void waitUntil(String what, BooleanSupplier condition) {
        try {
            new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100)).until(d -> condition.getAsBoolean());
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "; the page shows:\n"
                    + textOrNull("body"), e);
        }
    }

    private String textOrNull(String css) {
        return (String) driver.executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
