package io.msixpool.replay.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.CloseVf;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.audit.AuditObserver;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Auditor;
import io.msixpool.replay.audit.ChainedLog;
import io.msixpool.replay.audit.Finding;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the report collects while the auditor folds a log, and what the page says about it. */
class HtmlReportTest {
    static final String D = "bf3-a";
    static final String ALICE = "cli:alice";
    static final String BOB = "cli:bob";
    /** An actor name a forger chose to break the page: printable ASCII, so the chain accepts it. */
    static final String MARKUP = "<img/src=x>&\"'";

    @TempDir
    Path dir;

    /**
     * Alice sets nvme0 up (4 VFs, 64 vectors) and runs one VM she stops without releasing it; Bob
     * runs two VMs and stops one, releasing it. Free: 0 after the default, 64 after the reclaim,
     * then 60, 48, 40, and 52 at the end.
     */
    static ChainedLog twoActors() {
        return new ChainedLog()
                .as(ALICE).decide(
                        new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32),
                        new ProvisionPf(D, "virtio0", Emulation.VIRTIO_BLK, 2, 16, 1, 8),
                        new OpenPf(D, "nvme0"),
                        new Reclaim(D, "nvme0"),
                        new AssignVectors(D, "nvme0", 1, 4))
                .as(BOB).decide(
                        new AssignVectors(D, "nvme0", 0, 12),
                        new AssignVectors(D, "nvme0", 2, 8))
                .as(ALICE).decide(new CloseVf(D, "nvme0", 1))
                .as(BOB).decide(new ReleaseVectors(D, "nvme0", 0));
    }

    /** The same history, then an assignment nobody could have made: 60 vectors, the PF allows 32 per VF. */
    static ChainedLog forged() {
        return twoActors().as(MARKUP).append("forged-1", new VectorsAssigned(D, "nvme0", 3, 60));
    }

    static AuditResult audit(ChainedLog log, HtmlReport report) {
        return Auditor.audit(log.lines().iterator(), report, (lines, chars) -> { });
    }

    @Test
    void eachActorsCommandsAreCountedByKindWithTheirEvents() {
        HtmlReport report = new HtmlReport("two-actors.jsonl");
        audit(twoActors(), report);

        ActorTally alice = report.actorTally(ALICE);
        assertEquals(6, alice.commands());
        assertEquals(2 + 2 + 1 + 1 + 2 + 1, alice.events());
        assertEquals(2, alice.commandsOf(CommandKind.PROVISION_PF));
        assertEquals(1, alice.commandsOf(CommandKind.CLOSE_VF), "CloseVf keeps the link");
        assertEquals(0, alice.commandsOf(CommandKind.RELEASE_VECTORS));

        ActorTally bob = report.actorTally(BOB);
        assertEquals(3, bob.commands());
        assertEquals(6, bob.events());
        assertEquals(2, bob.commandsOf(CommandKind.ASSIGN_VECTORS));
        assertEquals(1, bob.commandsOf(CommandKind.RELEASE_VECTORS), "VfClosed then VectorsReleased is ReleaseVectors");
        assertEquals(0, bob.commandsOf(CommandKind.CLOSE_VF));
        // Bob recorded positions 9 to 15, stamped one second apart from the log's start.
        assertEquals(ChainedLog.START.plusSeconds(9).toEpochMilli(), bob.firstMillis());
        assertEquals(ChainedLog.START.plusSeconds(15).toEpochMilli(), bob.lastMillis());
    }

    @Test
    void theFreeSeriesOfAPfEndsAtItsLastValueAndSpansItsLowestAndHighest() {
        HtmlReport report = new HtmlReport("two-actors.jsonl");
        ChainedLog log = twoActors();
        audit(log, report);

        PfSeries nvme0 = report.series(D, "nvme0");
        assertEquals(log.state(D).pf("nvme0").msixFree(), nvme0.freeNow());
        assertEquals(52, nvme0.freeNow());
        int lowest = Integer.MAX_VALUE;
        int highest = Integer.MIN_VALUE;
        int touched = 0;
        for (int c = 0; c < report.timeline().columnsUsed(); c++) {
            if (nvme0.touched(c)) {
                touched++;
                lowest = Math.min(lowest, nvme0.freeMin(c));
                highest = Math.max(highest, nvme0.freeMax(c));
            }
        }
        assertEquals(0, lowest, "after the default distribution nothing is free");
        assertEquals(64, highest, "after the reclaim everything is");
        assertEquals(13, touched, "13 events touch nvme0, each in its own slice (one second apart)");
        assertEquals(64, nvme0.msixTotal());

        int last = (report.timeline().columnsUsed() - 1) >> 1;
        assertEquals(12, nvme0.held(0, last), "a slice shows the most held in it: VF 0 held 12 until released there");
        assertEquals(4, nvme0.held(1, last), "VF 1 was closed but keeps its link");
        assertEquals(8, nvme0.held(2, last));
        assertEquals(0, nvme0.held(3, last));
        int most = 0;
        for (int h = nvme0.firstColumn() >> 1; h <= last; h++) {
            most = Math.max(most, nvme0.held(3, h));
        }
        assertEquals(16, most, "VF 3 held the even default, 64 / 4, until the reclaim");
        assertEquals(8, report.series(D, "virtio0").held(1, last), "virtio0 keeps its default, 16 / 2");
    }

    /**
     * The stranded series, kept VF by VF as events come, ends where {@link PfState#msixStranded()} of
     * the final state is, on every PF: one definition, the report's count checked against it.
     */
    @Test
    void theStrandedSeriesOfAPfEndsWhereThePoolsOwnCountIs() {
        HtmlReport report = new HtmlReport("two-actors.jsonl");
        ChainedLog log = twoActors();
        audit(log, report);

        for (String pf : List.of("nvme0", "virtio0")) {
            assertEquals(log.state(D).pf(pf).msixStranded(), report.series(D, pf).strandedNow(), pf);
        }
        assertEquals(4, report.series(D, "nvme0").strandedNow(), "VF 1 was closed and keeps its 4 vectors");
        assertEquals(16, report.series(D, "virtio0").strandedNow(), "virtio0's two VFs keep the default 8 each, closed");
    }

    @Test
    void aForgedEventIsAFindingInThePageWithItsRuleAndPosition() throws IOException {
        HtmlReport report = new HtmlReport("forged.jsonl");
        AuditResult result = audit(forged(), report);
        Path file = dir.resolve("report.html");
        report.write(file, result);
        String html = Files.readString(file, StandardCharsets.UTF_8);

        Finding outOfRange = result.findings().stream().filter(f -> f.rule().equals("MSIX_OUT_OF_RANGE"))
                .findFirst().orElseThrow(() -> new AssertionError(result.findings().toString()));
        assertEquals(16, outOfRange.position());
        Matcher row = Pattern.compile("<tr><td class=\"n\">\\d+</td><td class=\"n\">16</td><td class=\"n\">16</td>"
                + "<td>bf3-a</td><td><a href=\"#pf-0\">nvme0</a></td><td class=\"rule\">MSIX_OUT_OF_RANGE</td>"
                + "<td class=\"msg\">([^<]*)</td></tr>").matcher(html);
        assertTrue(row.find(), "a findings row for position 16 naming its rule");
        assertTrue(row.group(1).contains("60"), row.group(1));
        assertTrue(html.contains("<p class=\"verdict bad\">" + result.findings().size() + " findings</p>"));
        assertTrue(html.contains("<title>finding at position 16</title>"), "marked on nvme0's chart");
        assertEquals(1, report.series(D, "nvme0").marks(), "every finding of the line marks the same event once");
    }

    @Test
    void textFromTheLogIsEscaped() throws IOException {
        HtmlReport report = new HtmlReport("<log>&.jsonl");
        AuditResult result = audit(forged(), report);
        Path file = dir.resolve("report.html");
        report.write(file, result);
        String html = Files.readString(file, StandardCharsets.UTF_8);

        assertTrue(html.contains("<td class=\"actor\">&lt;img/src=x&gt;&amp;&quot;&#39;</td>"), "the actor, escaped");
        assertFalse(html.contains("<img"), "no markup from the log");
        assertTrue(html.contains("<title>MSI-X audit: &lt;log&gt;&amp;.jsonl</title>"));
    }

    @Test
    void theFindingsTableStopsAtAThousandRowsAndSaysHowManyMore() throws IOException {
        HtmlReport report = new HtmlReport("broken.jsonl");
        audit(twoActors(), report);
        List<Finding> findings = new ArrayList<>();
        for (int i = 1; i <= 1500; i++) {
            findings.add(new Finding(i, i, D, "nvme0", "CHAIN", "finding " + i));
        }
        Path file = dir.resolve("report.html");
        report.write(file, new AuditResult(1500, 1500, 1, findings));
        String html = Files.readString(file, StandardCharsets.UTF_8);

        assertTrue(html.contains("<p class=\"verdict bad\">1500 findings</p>"));
        assertTrue(html.contains(">finding 1000</td>") && !html.contains(">finding 1001</td>"));
        assertTrue(html.contains("The first 1000 findings are listed; 500 more are not."));
        assertTrue(html.contains("CHAIN: 1500"), "the summary counts them all by rule");
    }

    @Test
    void anEmptyLogIsACleanPageWithoutPools() throws IOException {
        HtmlReport report = new HtmlReport("empty.jsonl");
        AuditResult result = Auditor.audit(List.<String>of().iterator(), report, (lines, chars) -> { });
        Path file = dir.resolve("report.html");
        report.write(file, result);
        String html = Files.readString(file, StandardCharsets.UTF_8);

        assertTrue(html.contains("<p class=\"verdict clean\">clean: no findings</p>"));
        assertTrue(html.contains("<p>No PF was provisioned in this log.</p>"));
        assertFalse(html.contains("<svg"));
    }

    @Test
    void foldingAnEventAllocatesNothing() {
        List<Object[]> folds = new ArrayList<>();
        new SyntheticFleet(1, 4, 4, 32).run(60_000, 1_000, new AuditObserver() {
            @Override
            public void folded(Envelope envelope, DeviceEvent event, boolean beginsDecision, DeviceState after) {
                folds.add(new Object[] {envelope, event, beginsDecision, after});
            }
        }, null);
        HtmlReport report = new HtmlReport("fleet");
        // The first third sees every PF and actor and lets the JIT settle; the rest is measured.
        int warm = folds.size() / 3;
        for (Object[] fold : folds.subList(0, warm)) {
            report.folded((Envelope) fold[0], (DeviceEvent) fold[1], (Boolean) fold[2], (DeviceState) fold[3]);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (Object[] fold : folds.subList(warm, folds.size())) {
            report.folded((Envelope) fold[0], (DeviceEvent) fold[1], (Boolean) fold[2], (DeviceState) fold[3]);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        int measured = folds.size() - warm;
        assertTrue(allocated < measured, allocated + " bytes allocated for " + measured + " events");
    }

    @Test
    void aCleanLogSaysSo() throws IOException {
        HtmlReport report = new HtmlReport("clean.jsonl");
        AuditResult result = audit(twoActors(), report);
        Path file = dir.resolve("report.html");
        report.write(file, result);
        String html = Files.readString(file, StandardCharsets.UTF_8);

        assertTrue(result.clean(), result.findings().toString());
        assertTrue(html.contains("<p class=\"verdict clean\">clean: no findings</p>"));
        assertFalse(html.contains("class=\"mark\""), "no finding, no mark");
        assertNotNull(report.series(D, "virtio0"));
        assertTrue(html.contains("<h4>bf3-a / nvme0</h4>") && html.contains("<h4>bf3-a / virtio0</h4>"));
        assertFalse(html.contains("http:") || html.contains("https:") || html.contains("<script"),
                "nothing to fetch, nothing to run");
    }
}
