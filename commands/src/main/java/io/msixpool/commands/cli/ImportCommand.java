package io.msixpool.commands.cli;

import io.msixpool.commands.engine.LogImport;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rebuilds a store from an exported log: restores a backup or migrates to another engine.",
                "",
                "LOG (msix export's output, or - for standard input) is first audited exactly as msix",
                "audit does: chain, order, every decision against the rules, I1-I5. A log with any finding",
                "is refused and nothing is written (STORE is not even created). Otherwise every event is",
                "written as the row the engine stored for it, in one transaction: position, sequence,",
                "timestamp, commandId, actor, revision and the chain's prev and hash as the log has them.",
                "So msix export of STORE gives back LOG byte for byte, and the engine goes on deciding on",
                "it: the chains continue, and a retry of a command the log recorded is a duplicate.",
                "",
                "STORE must hold no event yet: a directory that does not exist (it is created) or is empty,",
                "or an empty PostgreSQL database. Nothing else may use STORE during the import. An import",
                "interrupted at any point leaves STORE empty; run it again. Progress goes to standard",
                "error for long logs; the last line says how many events of how many devices were imported.",
                ""},
        footer = {"",
                "Examples:",
                "  msix export --store ./store > backup.jsonl && msix import backup.jsonl --store ./restored",
                "  msix export --store ./store | msix import - --store 'jdbc:postgresql://db/msix?user=msix'",
                "",
                "Exit codes: 0 imported; 1 the log has audit findings, or the import failed (either way",
                "nothing was imported); 2 bad usage, or STORE already holds events (nothing changed)."})
final class ImportCommand implements Callable<Integer> {
    /** Findings named on standard error when a log is refused; msix audit lists them all. */
    static final int FINDINGS_SHOWN = 5;
    static final int NOT_EMPTY = 2;

    @Parameters(index = "0", paramLabel = "LOG", description = "an exported log (msix export), or - for standard input")
    String log;

    @Mixin
    StoreOption store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoreLocation target = store.location();
        Path file = log.equals("-") ? null
                : LogSource.existingFile(spec, log, "a store is exported first: msix export --store DIR > log.jsonl");
        try {
            LogImport.requireEmpty(target);  // before reading the log: a wrong --store is told at once
        } catch (LogImport.NotEmpty notEmpty) {
            return refused(err, target, notEmpty);
        }
        long started = System.nanoTime();
        // Two passes, the audit and the import: standard input and pipes are kept in a file for the second.
        Path spooled = file != null && Files.isRegularFile(file) ? null : spool(file);
        try {
            Path readable = spooled != null ? spooled : file;
            long size = Files.size(readable);
            ProgressBar auditing = new ProgressBar(err, "audit", size);
            LogImport.Audit audit = LogImport.audit(readable, auditing::update);
            auditing.done();
            if (!audit.result().clean()) {
                return refused(err, target, audit.result());
            }
            ProgressBar importing = new ProgressBar(err, "import", size);
            LogImport.Imported imported;
            try {
                imported = LogImport.into(target, readable, audit, importing::update);
            } catch (LogImport.NotEmpty notEmpty) {  // another process wrote STORE since the check above
                importing.done();
                return refused(err, target, notEmpty);
            }
            importing.done();
            out.printf(Locale.ROOT, "imported %,d event%s of %,d device%s into %s%n", imported.events(),
                    imported.events() == 1 ? "" : "s", imported.devices(), imported.devices() == 1 ? "" : "s",
                    name(target));
            out.flush();
            err.printf(Locale.ROOT, "msix: audited and imported in %.1f s%n", (System.nanoTime() - started) / 1e9);
            err.flush();
            return 0;
        } finally {
            if (spooled != null) {
                Files.deleteIfExists(spooled);
            }
        }
    }

    /** Copies standard input ({@code pipe} null) or a pipe into a temporary file only this user can read. */
    private static Path spool(Path pipe) throws IOException {
        Path spooled = Files.createTempFile("msix-import-", ".jsonl");
        spooled.toFile().deleteOnExit();  // also when stopped with Ctrl-C
        try (InputStream in = pipe == null ? System.in : Files.newInputStream(pipe)) {
            Files.copy(in, spooled, StandardCopyOption.REPLACE_EXISTING);
        }
        return spooled;
    }

    private int refused(PrintWriter err, StoreLocation target, LogImport.NotEmpty notEmpty) {
        err.println("msix: import refused: " + name(target) + " is not empty: " + notEmpty.getMessage() + ".");
        err.println("msix: import only into a new store (a directory that does not exist yet) or an empty"
                + " PostgreSQL database; nothing was changed.");
        err.flush();
        return NOT_EMPTY;
    }

    private int refused(PrintWriter err, StoreLocation target, AuditResult result) {
        int count = result.findings().size();
        err.printf(Locale.ROOT, "msix: import refused: the audit of %s has %,d finding%s; nothing was imported%s.%n",
                log.equals("-") ? "standard input" : log, count, count == 1 ? "" : "s",
                target instanceof StoreLocation.Embedded embedded && !Files.exists(embedded.directory())
                        ? " and " + name(target) + " was not created" : " into " + name(target));
        for (Finding finding : result.findings().subList(0, Math.min(FINDINGS_SHOWN, count))) {
            err.println("  " + finding.describe());
        }
        if (count > FINDINGS_SHOWN) {
            err.printf(Locale.ROOT, "  ... and %,d more%n", count - FINDINGS_SHOWN);
        }
        err.printf(Locale.ROOT, "msix: %s lists %s (add --html REPORT.html for a report)%n",
                log.equals("-") ? "msix audit - with the same log on standard input" : "msix audit " + log,
                count == 1 ? "it" : String.format(Locale.ROOT, "all %,d", count));
        err.flush();
        return Msix.ENGINE_FAILED;
    }

    /** The store as messages name it: the directory, or the PostgreSQL URL without its parameters (a password). */
    static String name(StoreLocation target) {
        if (target instanceof StoreLocation.Embedded embedded) {
            return embedded.directory().toString();
        }
        if (target instanceof StoreLocation.Postgres postgres) {
            return postgres.url().replaceFirst("\\?.*", "");
        }
        return target.toString();
    }
}
