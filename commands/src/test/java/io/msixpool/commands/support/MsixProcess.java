package io.msixpool.commands.support;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code msix} as a real child process on the test class path, the way the launcher runs it,
 * so tests can feed it standard input, read its output, and kill it with SIGKILL.
 */
public final class MsixProcess {
    private MsixProcess() {
    }

    public static ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-XX:+UseSerialGC");
        command.add("-Daxoniq.update-checker.disabled=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.msixpool.commands.cli.Msix");
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Runs to completion with {@code stdin} as input; returns exit code, stdout and stderr. */
    public static Result run(String stdin, String... args) {
        try {
            File out = File.createTempFile("msix-out", ".txt");
            File err = File.createTempFile("msix-err", ".txt");
            Process process = builder(args).redirectOutput(out).redirectError(err).start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            int code = process.waitFor();
            return new Result(code, java.nio.file.Files.readString(out.toPath()),
                    java.nio.file.Files.readString(err.toPath()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
