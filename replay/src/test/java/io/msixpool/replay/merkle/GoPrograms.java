package io.msixpool.replay.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Go programs on Debian's golang-go and golang-golang-x-mod-dev, built in GOPATH mode (no module
 * proxy), for the tests that check our checkpoints with code we did not write. Without Go a test
 * is skipped saying so, unless MSIX_REQUIRE_GO=1 (.ci/run sets it), which makes it a failure.
 */
final class GoPrograms {
    private static final Path GOPATH = Path.of("/usr/share/gocode");
    private static final Path X_MOD = GOPATH.resolve("src/golang.org/x/mod/sumdb");
    private static final List<String> SKIPS_SAID = new ArrayList<>();

    private GoPrograms() {
    }

    /** The result of a run: its exit code and its standard output and error, together. */
    record Run(int exit, String output) {
    }

    static boolean present() {
        return go() != null && Files.isDirectory(X_MOD.resolve("note")) && Files.isDirectory(X_MOD.resolve("tlog"));
    }

    /** Builds {@code source} (a main.go) into {@code binary}: null when built, else go build's output. */
    static String build(Path source, Path binary) throws IOException, InterruptedException {
        Path cache = Path.of("target", "go-cache").toAbsolutePath();
        Run build = run(List.of(go(), "build", "-o", binary.toString(), source.toAbsolutePath().toString()), cache);
        return build.exit == 0 ? null : build.output;
    }

    /** Runs a built program with {@code args} (each as its text). */
    static Run run(Path binary, Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        for (Object arg : args) {
            command.add(arg.toString());
        }
        return run(command, null);
    }

    /**
     * Called in each test, like HtmlReportChromiumTest's check: a class aborted in {@code @BeforeAll}
     * is reported as "Tests run: 0", hiding that it was skipped.
     */
    static void require(String test, String buildFailure, String what) {
        String missing = "Go and golang.org/x/mod are missing (" + X_MOD + "): " + what + "; install them with"
                + " `apt-get install golang-go golang-golang-x-mod-dev`";
        if ("1".equals(System.getenv("MSIX_REQUIRE_GO"))) {
            assertTrue(present(), missing);
        } else if (!present()) {
            if (!SKIPS_SAID.contains(test)) {
                SKIPS_SAID.add(test);
                System.out.println(test + ": every test skipped: " + missing + " (MSIX_REQUIRE_GO is not 1)");
            }
            Assumptions.abort(missing + " (skipped: MSIX_REQUIRE_GO is not 1)");
        }
        assertEquals(null, buildFailure, "go build");
    }

    private static Run run(List<String> command, Path goCache) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (goCache != null) {
            builder.environment().put("GO111MODULE", "off");
            builder.environment().put("GOPATH", GOPATH.toString());
            builder.environment().put("GOCACHE", goCache.toString());
            builder.environment().put("GOFLAGS", "");
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // A bound only so that a hung child fails the build instead of hanging it; not a measurement.
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), command + " did not end");
        return new Run(process.exitValue(), output);
    }

    private static String go() {
        for (String dirOnPath : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dirOnPath.isEmpty() ? "." : dirOnPath, "go");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/lib/go/bin/go")) ? "/usr/lib/go/bin/go" : null;
    }
}
