package io.msixpool.commands.cli;

import io.msixpool.replay.LogLines;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Finding;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.CheckpointPrefix;
import io.msixpool.replay.merkle.LeafHashingLog;
import io.msixpool.replay.merkle.StrictBase64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code msix audit --checkpoint}: whether the audited log extends a signed checkpoint the auditor
 * kept. The log's lines are hashed as the audit reads them (one pass), and the outcome becomes a
 * finding like the audit's own: TRUNCATED (fewer lines than the checkpoint covers) or REWRITTEN
 * (the first N lines have another root).
 */
final class CheckpointAudit {
    private final CheckpointPrefix prefix;

    CheckpointAudit(Checkpoint checkpoint) {
        this.prefix = new CheckpointPrefix(checkpoint);
    }

    /** The log the audit reads, each line also hashed into the checkpoint's tree. */
    LogLines hashing(LogLines lines) {
        return LeafHashingLog.of(lines, prefix::add);
    }

    /** The audit's result with the checkpoint's finding, if any, after its own. */
    AuditResult withFinding(AuditResult audit) {
        Finding finding = finding();
        if (finding == null) {
            return audit;
        }
        List<Finding> findings = new ArrayList<>(audit.findings());
        findings.add(finding);
        return new AuditResult(audit.lines(), audit.events(), audit.devices(), findings);
    }

    private Finding finding() {
        Checkpoint checkpoint = prefix.checkpoint();
        long covered = checkpoint.size();
        long lines = prefix.lines();
        return switch (prefix.outcome()) {
            case EXTENDS -> null;
            // The first line missing, if the lines dropped were the newest; the count is all that is sure.
            case TRUNCATED -> new Finding(lines + 1, -1, null, null, "TRUNCATED", String.format(Locale.ROOT,
                    "the log has %,d lines, the checkpoint of %s covered %,d: %,d are missing, from leaf %d (line %d)"
                            + " on if they were the newest (events dropped from the end of the log)",
                    lines, checkpoint.origin(), covered, covered - lines, lines, lines + 1));
            // A root says only that some leaf under it differs: no line is named (line -1, null in JSON).
            case REWRITTEN -> new Finding(-1, -1, null, null, "REWRITTEN", String.format(Locale.ROOT,
                    "the log's first %,d lines do not have the root of the checkpoint of %s (%s): one or more of"
                            + " lines 1..%d (leaves 0..%d) differ from what it covered, or lines were inserted,"
                            + " removed or moved among them; a root cannot say which line (an older checkpoint that"
                            + " the log still extends bounds where the history was rewritten)",
                    covered, checkpoint.origin(), StrictBase64.encode(checkpoint.rootHash()), covered, covered - 1));
        };
    }

    /** One line for people when the log extends the checkpoint; its finding says otherwise. */
    String describe() {
        Checkpoint checkpoint = prefix.checkpoint();
        return prefix.outcome() != CheckpointPrefix.Outcome.EXTENDS ? null : String.format(Locale.ROOT,
                "checkpoint of %s: the log extends it (%,d of its %,d lines covered, their root %s)",
                checkpoint.origin(), checkpoint.size(), prefix.lines(), StrictBase64.encode(checkpoint.rootHash()));
    }

    /** The checkpoint and the log's standing to it, for --json. */
    Map<String, Object> asJson() {
        Checkpoint checkpoint = prefix.checkpoint();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("origin", checkpoint.origin());
        json.put("size", checkpoint.size());
        json.put("root", StrictBase64.encode(checkpoint.rootHash()));
        json.put("lines", prefix.lines());
        json.put("outcome", prefix.outcome().name());
        return json;
    }
}
