package io.msixpool.commands.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code msix} as a real child process on the test class path, the way the launcher runs it,
 * so tests can feed it standard input, read its output, and kill it with SIGKILL.
 */
public final class MsixProcess {
    private MsixProcess() {
    }

    /**
     * With the quick JIT alone, as the launcher runs short calls: test runs are short, and on a
     * small machine the optimising compiler's threads cost more than they win back.
     */
    public static ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Daxoniq.update-checker.disabled=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.msixpool.commands.cli.Msix");
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Runs {@code msix args} to completion with {@code stdin} as input (killed after 3 minutes). */
    public static Result run(String stdin, String... args) {
        try {
            Path out = Files.createTempFile("msix-out", ".txt");
            Path err = Files.createTempFile("msix-err", ".txt");
            Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ended) {
                    // the process ended without reading all its input; its exit code tells
                }
                if (!process.waitFor(3, TimeUnit.MINUTES)) {
                    fail("msix " + String.join(" ", args) + " did not end within 3 minutes");
                }
            } finally {
                process.destroyForcibly();
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Result(int exitCode, String out, String err) {
        public List<String> lines() {
            return out.lines().toList();
        }
    }
}
