package io.msixpool.replay.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.domain.Emulation;
import io.msixpool.domain.ResetKind;
import io.msixpool.domain.command.ArmReset;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.CloseVf;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.domain.event.ArmRebooted;
import io.msixpool.domain.event.PfClosed;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.event.VectorsReclaimed;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.event.VfClosed;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VfOpened;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.replay.Chain;
import io.msixpool.replay.EventLogFormat;
import io.msixpool.replay.LineBatches;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The auditor finds each kind of tampering and each broken rule at its position, and nothing in a clean log. */
class AuditorTest {
    private static final String D = "bf3-a";

    /** Two PFs, a reclaim, VMs coming and going, a reboot: 27 events, every one decided by the rules. */
    private static ChainedLog cleanHistory() {
        return new ChainedLog().decide(
                new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null),
                new ProvisionPf(D, "virtio0", Emulation.VIRTIO_BLK, 2, 16, 1, 8, null),
                new OpenPf(D, "nvme0", true, null),
                new Reclaim(D, "nvme0", null),
                new AssignVectors(D, "nvme0", 0, 12, null),
                new AssignVectors(D, "nvme0", 1, 20, null),
                new CloseVf(D, "nvme0", 1, null),
                new ReleaseVectors(D, "nvme0", 0, null),
                new ArmReset(D, ResetKind.FE_RESET, null),
                new OpenPf(D, "nvme0", true, null),
                new Reclaim(D, "nvme0", null),
                new AssignVectors(D, "nvme0", 3, 30, null));
    }

    private static AuditResult audit(List<String> lines) {
        return Auditor.audit(lines.iterator(), AuditObserver.NONE, (read, chars) -> { });
    }

    private static String rules(AuditResult result) {
        return result.findings().stream().map(f -> f.rule() + "@" + f.position()).toList().toString();
    }

    @Test
    void aCleanHistoryHasNoFindings() {
        List<String> lines = cleanHistory().lines();
        AuditResult result = audit(lines);
        assertEquals(List.of(), result.findings());
        assertEquals(lines.size(), result.events());
        assertEquals(1, result.devices());
    }

    @Test
    void anEditedEventIsFoundAtItsPosition() {
        List<String> lines = new ArrayList<>(cleanHistory().lines());
        int assigned = indexOf(lines, "\"type\":\"VectorsAssigned\"");
        lines.set(assigned, lines.get(assigned).replace("\"msix\":12", "\"msix\":13"));
        AuditResult result = audit(lines);
        Finding first = result.findings().getFirst();
        assertEquals("CHAIN", first.rule(), rules(result));
        assertEquals(assigned + 1, first.position(), rules(result));
        assertTrue(first.message().contains("edited"), first.message());
        // The chain goes on from the recorded hash: one edit, one chain finding.
        assertEquals(1, result.findings().stream().filter(f -> f.rule().equals("CHAIN")).count(), rules(result));
    }

    @Test
    void aDeletedEventIsFoundAtTheNextEventOfItsDevice() {
        List<String> lines = new ArrayList<>(cleanHistory().lines());
        int opened = indexOf(lines, "\"type\":\"PfOpened\"");
        lines.remove(opened);
        AuditResult result = audit(lines);
        Finding first = result.findings().getFirst();
        assertEquals("CHAIN", first.rule(), rules(result));
        assertEquals(opened + 2, first.position(), "the line after the deleted one: " + rules(result));
    }

    @Test
    void twoSwappedEventsAreFound() {
        List<String> lines = new ArrayList<>(cleanHistory().lines());
        int assigned = indexOf(lines, "\"type\":\"VectorsAssigned\"");
        String moved = lines.remove(assigned);
        lines.add(assigned + 1, moved);
        AuditResult result = audit(lines);
        assertEquals("ORDER", result.findings().stream().filter(f -> f.rule().equals("ORDER")).findFirst()
                .orElseThrow(() -> new AssertionError(rules(result))).rule());
        assertTrue(result.findings().stream().anyMatch(f -> f.rule().equals("CHAIN") && f.position() == assigned + 2),
                rules(result));
    }

    @Test
    void aForgedDecisionWithAnIntactChainIsRefusedByTheRuleItBreaks() {
        // Vectors handed to a VF while the PF is closed, chained like a real event.
        ChainedLog log = new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null))
                .append("forged", new VectorsAssigned(D, "nvme0", 0, 4), new VfOpened(D, "nvme0", 0));
        AuditResult result = audit(log.lines());
        Finding first = result.findings().getFirst();
        assertEquals("PF_NOT_OPEN", first.rule(), rules(result));
        assertEquals(3, first.position());
        assertEquals("nvme0", first.pf());
    }

    @Test
    void aBrokenInvariantIsReportedWhereItBreaksAndOnlyThere() {
        // After the reclaim all 64 are free; 40 + 40 more than the PF holds, over two forged decisions.
        ChainedLog log = new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 40, null),
                        new OpenPf(D, "nvme0", true, null),
                        new Reclaim(D, "nvme0", null),
                        new AssignVectors(D, "nvme0", 0, 40, null))
                .append("forged", new VectorsAssigned(D, "nvme0", 1, 40), new VfOpened(D, "nvme0", 1))
                .decide(new CloseVf(D, "nvme0", 0, null));
        AuditResult result = audit(log.lines());
        List<Finding> i1 = result.findings().stream().filter(f -> f.rule().equals("I1")).toList();
        assertEquals(1, i1.size(), rules(result));
        assertEquals(7, i1.getFirst().position(), rules(result));
        assertTrue(result.findings().stream().anyMatch(f -> f.rule().equals("INSUFFICIENT_FREE_MSIX")
                && f.position() == 7), rules(result));
    }

    @Test
    void aDecisionCutShortIsFound() {
        ChainedLog log = new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null),
                        new OpenPf(D, "nvme0", true, null), new Reclaim(D, "nvme0", null))
                .append("cut", new VectorsAssigned(D, "nvme0", 0, 8))
                .append("next", new PfClosed(D, "nvme0"));
        AuditResult result = audit(log.lines());
        assertEquals("DECISION", result.findings().getFirst().rule(), rules(result));
        assertEquals(6, result.findings().getFirst().position(), rules(result));

        ChainedLog endsInTheMiddle = new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null),
                        new OpenPf(D, "nvme0", true, null), new Reclaim(D, "nvme0", null))
                .append("cut", new VectorsAssigned(D, "nvme0", 0, 8));
        AuditResult cut = audit(endsInTheMiddle.lines());
        assertEquals(List.of("DECISION"), cut.findings().stream().map(Finding::rule).toList());
        assertTrue(cut.findings().getFirst().message().contains("VfOpened"), cut.findings().getFirst().message());
    }

    @Test
    void aLineThatIsNotAnEventIsReportedWithItsLineNumberAndTheAuditGoesOn() {
        List<String> lines = new ArrayList<>(cleanHistory().lines());
        lines.add(3, "{\"type\":\"VectorsAssigned\",");
        AuditResult result = audit(lines);
        assertEquals("FORMAT", result.findings().getFirst().rule(), rules(result));
        assertEquals(4, result.findings().getFirst().line());
        assertEquals(-1, result.findings().getFirst().position());
        assertEquals(1, result.findings().size(), "nothing else is wrong: " + rules(result));
    }

    @Test
    void aLineThatIsNotJsonIsSaidInTheLinesTermsNotTheJsonLibrarys() {
        List<String> lines = new ArrayList<>(cleanHistory().lines());
        lines.add(3, "[".repeat(1001) + "]".repeat(1001));
        lines.add(4, "{\"type\":\"VectorsAssigned\" \"device\":\"x\"}");
        List<String> messages = audit(lines).findings().stream().map(Finding::message).toList();
        assertEquals(List.of("not a JSON object: nested deeper than 1000 levels of objects and arrays",
                "not a JSON object: malformed JSON at column 27: unexpected '\"': expected a comma between object entries"),
                messages);
    }

    @Test
    void aReleaseAndACloseBothBeginWithVfClosed() {
        // Covered by the clean history too; here the release follows a close of another VF.
        ChainedLog log = cleanHistory().decide(new CloseVf(D, "nvme0", 3, null),
                new AssignVectors(D, "nvme0", 1, 10, null), new ReleaseVectors(D, "nvme0", 1, null));
        assertEquals(List.of(), audit(log.lines()).findings());
    }

    @Test
    void progressIsReportedUpToTheLastLine() {
        List<String> lines = cleanHistory().lines();
        long[] last = new long[2];
        LineBatches.Progress progress = (read, chars) -> {
            last[0] = read;
            last[1] = chars;
        };
        Auditor.audit(lines.iterator(), AuditObserver.NONE, progress);
        assertEquals(lines.size(), last[0]);
        assertEquals(lines.stream().mapToLong(line -> line.length() + 1).sum(), last[1]);
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line holds " + fragment);
    }

    @Test
    void anObjectHiddenBehindACarriageReturnOrAfterALineIsAFormatFinding() {
        List<String> lines = new ArrayList<>(cleanHistory().lines());
        String forged = lines.get(lines.size() - 1);
        for (String hiding : List.of("\r", " ")) {
            List<String> tampered = new ArrayList<>(lines);
            tampered.set(lines.size() - 1, forged + hiding + forged.replace("\"msix\":30", "\"msix\":31"));
            AuditResult result = audit(tampered);
            // The line is refused whole, so the VfOpened it held is missing from its decision too.
            assertEquals(List.of("FORMAT", "DECISION"), result.findings().stream().map(Finding::rule).toList(),
                    rules(result));
            assertEquals(lines.size(), result.findings().getFirst().line());
        }
    }

    @Test
    void aFieldAddedWithTheChainRecomputedIsAFormatFinding() {
        List<String> lines = new ArrayList<>(cleanHistory().lines());
        ObjectNode last = EventLogFormat.parse(lines.getLast());
        last.put("note", "free vectors for my VM");
        ((ObjectNode) last.get("envelope")).put("hash", Chain.hashOf(last));
        lines.set(lines.size() - 1, last.toString());
        AuditResult result = audit(lines);
        // The last line, a VfOpened, is refused, so its decision is also cut short at the end of the log.
        assertEquals(List.of("FORMAT@" + lines.size(), "DECISION@-1"),
                result.findings().stream().map(f -> f.rule() + "@" + f.position()).toList(), rules(result));
    }

    @Test
    void aDeviceWhoseFirstEventIsNotAtSequenceZeroIsAChainFinding() {
        List<String> lines = cleanHistory().lines();
        AuditResult result = audit(lines.subList(2, lines.size()));
        assertEquals("CHAIN", result.findings().getFirst().rule(), rules(result));
        assertEquals(3, result.findings().getFirst().position());
    }

    @Test
    void anArmRebootWithoutItsDefaultsAndAReleaseOfTheWrongCountAreDecisionFindings() {
        ChainedLog log = new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null),
                        new OpenPf(D, "nvme0", true, null), new Reclaim(D, "nvme0", null),
                        new AssignVectors(D, "nvme0", 0, 12, null))
                .append("rel", new VfClosed(D, "nvme0", 0), new VectorsReleased(D, "nvme0", 0, 11))
                .append("reboot", new ArmRebooted(D, ResetKind.COLD_BOOT))
                .decide(new OpenPf(D, "nvme0", true, null));
        AuditResult result = audit(log.lines());
        // VfClosed alone is a valid CloseVf; a VectorsReleased of 11 (not 12) begins no decision, and
        // leaves VF 0 holding 1 vector (I2); the reboot lacks its default.
        assertEquals(List.of("DECISION@8", "I2@8", "DECISION@10"), result.findings().stream()
                .map(f -> f.rule() + "@" + f.position()).toList(), rules(result));
    }

    @Test
    void linesOfTwoDevicesSwappedAreAnOrderFindingOnly() {
        ChainedLog log = new ChainedLog().decide(
                new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null),
                new ProvisionPf("bf3-b", "nvme0", Emulation.NVME, 4, 64, 2, 32, null));
        List<String> lines = new ArrayList<>(log.lines());
        String moved = lines.remove(1);  // bf3-a's DefaultDistributionApplied after bf3-b's events
        lines.add(moved);
        AuditResult result = audit(lines);
        assertEquals(List.of("ORDER@2"), result.findings().stream()
                .map(f -> f.rule() + "@" + f.position()).toList(), rules(result));
    }

    @Test
    void aCommandIdThatAlreadyDecidedOrEventsOfOneDecisionFromTwoCommandsAreFound() {
        ChainedLog log = new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null))
                .append("x", new PfOpened(D, "nvme0", true))
                .append("x", new PfClosed(D, "nvme0"))
                .append("y", new VectorsReclaimed(D, "nvme0", List.of(), 0));
        AuditResult reused = audit(log.lines());
        assertEquals(List.of("COMMAND_ID_REUSED@4", "PF_NOT_OPEN@5"), reused.findings().stream()
                .map(f -> f.rule() + "@" + f.position()).toList(), rules(reused));

        List<String> lines = new ArrayList<>(new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null)).lines());
        ObjectNode second = EventLogFormat.parse(lines.get(1));
        ((ObjectNode) second.get("envelope")).put("commandId", "someone-else");
        ((ObjectNode) second.get("envelope")).put("hash", Chain.hashOf(second));
        lines.set(1, second.toString());
        AuditResult mixed = audit(lines);
        assertEquals(List.of("DECISION@2"), mixed.findings().stream().map(f -> f.rule() + "@" + f.position()).toList(),
                rules(mixed));
    }

    @Test
    void aVfClosedThatNoCommandRecordsNamesTheBasicRule() {
        ChainedLog log = new ChainedLog()
                .decide(new ProvisionPf(D, "nvme0", Emulation.NVME, 4, 64, 2, 32, null),
                        new OpenPf(D, "nvme0", false, null))
                .append("forged", new VfClosed(D, "nvme0", 1));
        AuditResult result = audit(log.lines());
        assertEquals(List.of("VF_NOT_OPEN"), result.findings().stream().map(Finding::rule).toList(), rules(result));
    }
}
