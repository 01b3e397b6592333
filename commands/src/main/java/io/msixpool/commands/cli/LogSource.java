package io.msixpool.commands.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.engine.EventLog;
import io.msixpool.replay.LogLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Where replay and audit read the log: an exported file (msix export's output; - for standard
 * input) or a store, read as export would write it. Either way they see the same lines, so a
 * store and its export always replay and audit alike.
 */
final class LogSource {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "an exported log (msix export), or - for standard input")
    String file;

    @Option(names = "--store", paramLabel = "STORE",
            description = "read the log from this store instead: a directory of the embedded store or a"
                    + " jdbc:postgresql:// URL")
    String store;

    /** An open log: its lines, its size in bytes when known (for progress), and a name for people. */
    record OpenLog(LogLines lines, long chars, String name, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resource.close();
        }
    }

    OpenLog open() throws IOException {
        requireOne();
        if (store != null) {
            Engine engine = StoreOption.openReader(command, StoreOption.parse(command, store));
            Stream<String> lines = EventLog.lines(engine).map(ObjectNode::toString);
            return new OpenLog(new LogLines.Text(lines.iterator()), -1, store, () -> {
                lines.close();
                engine.close();
            });
        }
        if (file.equals("-")) {
            return new OpenLog(new LogLines.Bytes(System.in), -1, "standard input", () -> { });
        }
        Path path = existingFile(command, file, "a store is read with --store");
        // A pipe (msix audit <(...)) is read as well; only a regular file has a size for progress.
        InputStream in = Files.newInputStream(path);
        long size = Files.isRegularFile(path) ? Files.size(path) : -1;
        String name = Files.isRegularFile(path) ? path.getFileName().toString() : file;  // a pipe: /dev/fd/63
        return new OpenLog(new LogLines.Bytes(in), size, name, in);
    }

    /** Refuses, as bad usage, neither or both of FILE and --store: before anything else is read. */
    void requireOne() {
        if ((file == null) == (store == null)) {
            throw new ParameterException(command.commandLine(), "give either FILE or --store, not "
                    + (file == null ? "neither" : "both"));
        }
    }

    /**
     * The log file a command was given (not -): a usage error when there is none or it is a
     * directory ({@code ifDirectory} says what to do instead). A pipe (msix audit <(...)) is a file here too.
     */
    static Path existingFile(CommandSpec command, String file, String ifDirectory) {
        Path path = Path.of(file);
        if (!Files.exists(path) || Files.isDirectory(path)) {
            throw new ParameterException(command.commandLine(), file + (Files.isDirectory(path)
                    ? " is a directory; " + ifDirectory : ": no such file"));
        }
        return path;
    }
}
