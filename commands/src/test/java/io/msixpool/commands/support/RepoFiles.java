package io.msixpool.commands.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository (docs/...), found from the module directory that surefire runs tests in. */
public final class RepoFiles {
    private RepoFiles() {
    }

    public static Path find(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return fail(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
