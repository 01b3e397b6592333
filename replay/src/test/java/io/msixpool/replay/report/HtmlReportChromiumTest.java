package io.msixpool.replay.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.ChainedLog;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser shows it: Debian's headless Chromium loads the file (no network: the
 * flags turn off everything it would fetch by itself, and the page names nothing to fetch), and
 * the test reads the DOM it built and the pixels it drew.
 */
class HtmlReportChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int CYCLES = 40;
    /** Carol's VMs on VF 3 come and go; then a forged assignment at the log's last position. */
    private static final long FORGED_POSITION = 15 + 2 * 2 * CYCLES + 1;

    @TempDir
    static Path dir;
    static AuditResult result;
    static Path page;

    /**
     * Without Chromium each test is skipped with the reason (README: mvn verify on a fresh machine
     * skips, and says so); .ci/run sets MSIX_REQUIRE_CHROMIUM=1, which makes it a failure. Called in
     * each test, not in {@code @BeforeAll}: a class aborted there is reported as "Tests run: 0,
     * Skipped: 0". Surefire keeps a skip's reason in its XML report only, so it is printed too.
     */
    private static void requireChromium() {
        String missing = CHROMIUM + " is missing: the report is tested in a real browser;"
                + " install it with `apt-get install chromium`";
        if ("1".equals(System.getenv("MSIX_REQUIRE_CHROMIUM"))) {
            assertTrue(Files.isExecutable(CHROMIUM), missing);
        } else if (!Files.isExecutable(CHROMIUM)) {
            String reason = missing + " (skipped: MSIX_REQUIRE_CHROMIUM is not 1)";
            if (!skipSaid) {
                skipSaid = true;
                System.out.println("HtmlReportChromiumTest: every test skipped: " + reason);
            }
            Assumptions.abort(reason);
        }
    }

    private static boolean skipSaid;

    @BeforeAll
    static void writeTheReport() throws IOException {
        ChainedLog log = HtmlReportTest.twoActors().as("cli:carol");
        for (int i = 0; i < CYCLES; i++) {
            log.decide(new AssignVectors(HtmlReportTest.D, "nvme0", 3, 2 + (i % 7) * 4),
                    new ReleaseVectors(HtmlReportTest.D, "nvme0", 3));
        }
        log.as(HtmlReportTest.MARKUP).append("forged-1", new VectorsAssigned(HtmlReportTest.D, "nvme0", 3, 60));
        HtmlReport report = new HtmlReport("fleet.jsonl");
        result = HtmlReportTest.audit(log, report);
        page = dir.resolve("report.html");
        report.write(page, result);
    }

    @Test
    void theBrowserShowsTheSummaryTheFindingsAndTheActors() throws Exception {
        requireChromium();
        String dom = chromium("dom", "--dump-dom");

        int findings = result.findings().size();
        assertTrue(findings >= 1, "the forged event is a finding");
        assertTrue(dom.contains("<p class=\"verdict bad\">" + findings + " findings</p>"), "the verdict");
        assertTrue(dom.contains("<h1>MSI-X audit of fleet.jsonl</h1>"));
        assertTrue(dom.contains("<tr><th>events</th><td>" + FORGED_POSITION + "</td></tr>"), "the events read");

        List<String> findingRows = rows(dom, "findings");
        assertEquals(findings, findingRows.size(), "one row per finding");
        assertTrue(findingRows.stream().anyMatch(row -> row.contains("<td class=\"n\">" + FORGED_POSITION + "</td>")
                && row.contains("<td class=\"rule\">MSIX_OUT_OF_RANGE</td>")), findingRows.toString());

        List<String> actorRows = rows(dom, "actors");
        assertEquals(4, actorRows.size(), actorRows.toString());
        assertTrue(actorRows.getFirst().startsWith("<tr><td class=\"actor\">cli:carol</td><td class=\"n\">"
                + 2 * CYCLES + "</td><td class=\"n\">" + 4 * CYCLES + "</td>"), "the busiest actor first");
        assertTrue(actorRows.stream().anyMatch(row -> row.contains(">cli:alice<") && row.contains("CloseVf \u00d7 1")),
                actorRows.toString());
        assertTrue(actorRows.stream().anyMatch(row -> row.contains("&lt;img/src=x&gt;&amp;\"'")),
                "the forger's name is text");
        assertFalse(dom.contains("<img"), "the forger's name made no element");
    }

    @Test
    void theBrowserShowsEachPfsChartAndHeatmap() throws Exception {
        requireChromium();
        String dom = chromium("dom", "--dump-dom");

        for (String pf : List.of("nvme0", "virtio0")) {
            assertTrue(dom.contains("<h4>bf3-a / " + pf + "</h4>"), "the section of " + pf);
        }
        Matcher free = Pattern.compile("<path class=\"free\" d=\"([^\"]+)\"").matcher(dom);
        assertTrue(free.find(), "nvme0's free vectors");
        List<int[]> steps = PathSteps.decode(free.group(1));
        assertTrue(steps.size() >= 4 * CYCLES, "a step down and up for each of Carol's VMs: " + free.group(1));
        // y is minus the count; the path ends along the last count, then back down to 0 to close the area.
        assertEquals(-52, steps.get(steps.size() - 4)[1], "52 free before the forged event");
        assertEquals(8, steps.get(steps.size() - 3)[1], "-8 free after it");
        assertTrue(dom.contains("<title>total 64 vectors</title>"), "nvme0's total");

        Matcher heat = Pattern.compile("<path class=\"l(\\d)\" d=\"([^\"]+)\">").matcher(dom);
        int runsOfVf3 = 0;
        int levels = 0;
        while (heat.find()) {
            levels++;
            runsOfVf3 += (int) PathSteps.runs(heat.group(2)).stream().filter(run -> run[0] == 3).count();
        }
        assertTrue(levels >= 4, "VMs of 2 to 26 vectors and the forged 60 fall in several colour levels");
        assertTrue(runsOfVf3 >= CYCLES / 2, "VF 3's row changes colour with each VM: " + runsOfVf3);
        assertTrue(dom.contains("<span class=\"key\"><i class=\"l0\"></i>0</span>"), "the heatmap's legend");
        assertTrue(dom.contains(">VF 3</text>"), "the rows are labelled");
    }

    @Test
    void theScreenshotShowsTheVerdictAndTheCharts() throws Exception {
        requireChromium();
        Path png = dir.resolve("report.png");
        chromium("screenshot", "--screenshot=" + png, "--window-size=1200,2000", "--hide-scrollbars");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(2000, image.getHeight());

        assertTrue(count(image, 0xfbe0df, 0, 0, 1200, 400) > 2000, "the red verdict at the top");
        // The line's colour marks where the free chart was drawn; the band, the line, grid and labels fill it.
        int[] box = box(image, 0x1f5fa8, 12);
        assertTrue(box[2] - box[0] > 600 && box[3] - box[1] > 100, "a chart-sized line: " + List.of(box[0], box[1],
                box[2], box[3]));
        double inked = (double) nonWhite(image, box) / ((box[2] - box[0] + 1) * (box[3] - box[1] + 1));
        assertTrue(inked > 0.35, "the chart area is drawn, not blank: " + inked);
        int cells = 0;
        for (int rgb : new int[] {0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b}) {
            cells += count(image, rgb, 0, 0, 1200, 2000);
        }
        assertTrue(cells > 20_000, "the heatmaps' coloured cells: " + cells + " pixels");
    }

    /** Runs Chromium headless on the page with its own profile; the DOM for --dump-dom, else "". */
    private static String chromium(String name, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile-");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(action));
        command.add(page.toUri().toString());
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process chromium = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
            fail("Chromium did not finish within 60 s: " + tail(err));
        }
        assertEquals(0, chromium.exitValue(), "Chromium failed: " + tail(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String tail(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.substring(Math.max(0, text.length() - 2000));
    }

    /** The rows of the body of the table with {@code class}, each as its HTML. */
    private static List<String> rows(String dom, String tableClass) {
        Matcher table = Pattern.compile("<table class=\"" + tableClass + "\">.*?<tbody>(.*?)</tbody>", Pattern.DOTALL)
                .matcher(dom);
        assertTrue(table.find(), "the " + tableClass + " table");
        return Pattern.compile("<tr>.*?</tr>", Pattern.DOTALL).matcher(table.group(1)).results()
                .map(java.util.regex.MatchResult::group).toList();
    }

    private static boolean near(int rgb, int target, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((target >> shift) & 0xff)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    private static int count(BufferedImage image, int target, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < Math.min(y1, image.getHeight()); y++) {
            for (int x = x0; x < Math.min(x1, image.getWidth()); x++) {
                if (near(image.getRGB(x, y), target, 0)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The bounding box {x0, y0, x1, y1} of the pixels near {@code target}, in the first chart drawn. */
    private static int[] box(BufferedImage image, int target, int tolerance) {
        int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        int firstY = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (near(image.getRGB(x, y), target, tolerance)) {
                    if (firstY < 0) {
                        firstY = y;
                    }
                    if (y > firstY + 250) {
                        return box;
                    }
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x);
                    box[3] = Math.max(box[3], y);
                }
            }
        }
        assertTrue(firstY >= 0, "no pixel of the free line's colour");
        return box;
    }

    private static int nonWhite(BufferedImage image, int[] box) {
        int n = 0;
        for (int y = box[1]; y <= box[3]; y++) {
            for (int x = box[0]; x <= box[2]; x++) {
                if (!near(image.getRGB(x, y), 0xffffff, 10)) {
                    n++;
                }
            }
        }
        return n;
    }
}
