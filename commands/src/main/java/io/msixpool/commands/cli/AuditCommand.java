package io.msixpool.commands.cli;

import io.msixpool.commands.wire.Json;
import io.msixpool.replay.LogLines;
import io.msixpool.replay.audit.AuditObserver;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Auditor;
import io.msixpool.replay.audit.Finding;
import io.msixpool.replay.merkle.NoteKey;
import io.msixpool.replay.report.HtmlReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays a whole history and checks every event: the chain, the decision, the invariants.",
                "",
                "For each event, in log order:",
                "  CHAIN     its hash matches the line, prev is the hash of the device's previous event and",
                "            its sequence follows (docs/event-log.md): an edited, inserted, deleted or",
                "            reordered event is reported at its position;",
                "  ORDER     positions rise along the log;",
                "  decision  the rules of docs/rules.md, run on the state before it, record exactly these",
                "            events (a refused decision is reported with the rejection code that refuses",
                "            it; DECISION when the events differ from what the rules record);",
                "  COMMAND_ID_REUSED  its commandId did not already record a decision of the device (the",
                "            engine records nothing for a commandId it remembers);",
                "  I1..I5    the invariants hold after it (each reported where it breaks, not again while",
                "            it stays broken);",
                "  FORMAT    the line is one event of the log format, every field of its type and nothing",
                "            else (docs/event-log.md, \"The audit\").",
                "",
                "With --checkpoint FILE --key VKEY, also whether the log extends a signed checkpoint kept",
                "from before (GET /v1/checkpoint, msix checkpoint): the signature is checked with the key,",
                "and the log's first N lines (N the checkpoint's size) must have exactly its Merkle root,",
                "hashed in the same pass over the log:",
                "  TRUNCATED the log has fewer than N lines: reported at the first line missing (leaf",
                "            index = the log's line count), if the lines dropped were the newest;",
                "  REWRITTEN the first N lines have another root: one or more of lines 1..N differ, but a",
                "            root cannot say which, so no line is named (line and position null in --json).",
                "A rewrite with every chain hash recomputed passes the chain; it does not pass this. A",
                "checkpoint that is unreadable, not signed by the key or of another log is refused: exit 1.",
                "",
                "Prints one line per finding (position, line, device/PF, rule, what was expected), or",
                "that the log is clean. A progress bar goes to standard error for long logs.",
                ""},
        footer = {"",
                "Examples:",
                "  msix export --store ./store > log.jsonl && msix audit log.jsonl",
                "  msix audit --store ./store --json",
                "  msix audit log.jsonl --html report.html",
                "  msix audit log.jsonl --checkpoint cp-old.txt --key @verifier.key",
                "",
                "Exit codes: 0 clean; 1 findings (or the log could not be read, or the checkpoint is refused);",
                "2 bad usage."})
final class AuditCommand implements Callable<Integer> {
    @Mixin
    LogSource source;

    @Option(names = "--json", description = "one JSON object on standard output: ok, events, devices, findings")
    boolean json;

    @Option(names = "--html", paramLabel = "REPORT.html",
            description = "also write a report people can read: one self-contained HTML file (no network) with,"
                    + " per PF, free vectors over time and the vectors each VF held, the findings, and the actors"
                    + " and their commands")
    Path html;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "a signed checkpoint of this log (needs --key): the log must extend it")
    Path checkpoint;

    @Option(names = "--key", paramLabel = "VKEY", description = SignedCheckpoints.KEY_HELP)
    String key;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        source.requireOne();  // bad usage is exit 2 even when the checkpoint would be refused too
        CheckpointAudit checkpointAudit;
        try {
            checkpointAudit = checkpointAudit();
        } catch (SignedCheckpoints.Refused refused) {
            err.println("msix: " + refused.getMessage());
            err.flush();
            return Msix.ENGINE_FAILED;
        }
        AuditResult result;
        try (LogSource.OpenLog log = source.open()) {
            ProgressBar progress = new ProgressBar(err, "audit", log.chars());
            HtmlReport report = html == null ? null : new HtmlReport(log.name());
            LogLines lines = checkpointAudit == null ? log.lines() : checkpointAudit.hashing(log.lines());
            result = Auditor.audit(lines, report == null ? AuditObserver.NONE : report, progress::update);
            progress.done();
            if (checkpointAudit != null) {
                result = checkpointAudit.withFinding(result);
            }
            if (report != null) {
                Files.createDirectories(html.toAbsolutePath().getParent());
                report.write(html, result);
                err.println("msix: report written to " + html.toAbsolutePath());
            }
            if (json) {
                Map<String, Object> answer = asJson(result);
                if (checkpointAudit != null) {
                    answer.put("checkpoint", checkpointAudit.asJson());
                }
                out.println(Json.write(answer));
            } else {
                out.println(summary(log.name(), result));
                result.findings().forEach(finding -> out.println(finding.describe()));
                if (checkpointAudit != null && checkpointAudit.describe() != null) {
                    out.println(checkpointAudit.describe());
                }
            }
        }
        out.flush();
        err.printf(Locale.ROOT, "msix: audited %,d events in %.1f s%n", result.events(),
                (System.nanoTime() - started) / 1e9);
        err.flush();
        return result.clean() ? 0 : 1;
    }

    /** The checkpoint to check the log against, or null without --checkpoint. */
    private CheckpointAudit checkpointAudit() throws SignedCheckpoints.Refused {
        if ((checkpoint == null) != (key == null)) {
            throw new ParameterException(spec.commandLine(), checkpoint == null
                    ? "--key is the key of a checkpoint: give --checkpoint FILE with it"
                    : "--checkpoint needs --key VKEY: the verifier key its signature is checked with (msix key)");
        }
        if (checkpoint == null) {
            return null;
        }
        NoteKey verifier = SignedCheckpoints.verifierKey(spec, "--key", key);
        return new CheckpointAudit(SignedCheckpoints.open(checkpoint, verifier));
    }

    private static String summary(String name, AuditResult result) {
        String read = String.format(Locale.ROOT, "audit of %s: %,d event%s, %,d device%s", name, result.events(),
                result.events() == 1 ? "" : "s", result.devices(), result.devices() == 1 ? "" : "s");
        return result.clean()
                ? read + ": clean (chain intact, every decision valid, I1-I5 hold after every event)"
                : read + String.format(Locale.ROOT, ": %,d finding%s", result.findings().size(),
                        result.findings().size() == 1 ? "" : "s");
    }

    private static Map<String, Object> asJson(AuditResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", result.clean());
        json.put("events", result.events());
        json.put("devices", result.devices());
        json.put("findings", result.findings().stream().map(AuditCommand::asJson).toList());
        return json;
    }

    private static Map<String, Object> asJson(Finding finding) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("line", finding.line() < 0 ? null : finding.line());
        json.put("position", finding.position() < 0 ? null : finding.position());
        json.put("device", finding.device());
        json.put("pf", finding.pf());
        json.put("rule", finding.rule());
        json.put("message", finding.message());
        return json;
    }
}
