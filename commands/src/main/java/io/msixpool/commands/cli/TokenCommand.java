package io.msixpool.commands.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.msixpool.commands.http.Role;
import io.msixpool.commands.http.TokensFile;
import io.msixpool.commands.wire.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = {
                "Adds, lists and revokes the bearer tokens of msix serve (docs/http.md, \"Tokens and roles\").",
                "",
                "The tokens file holds the SHA-256 hash of each token, never the token: `add` prints a new",
                "token once. Each change rewrites the file atomically, readable and writable by its owner",
                "only; a running msix serve takes it at its next request, no restart needed. The file is",
                "--tokens FILE, or STORE/tokens.json with --store STORE (the file msix serve uses without",
                "--tokens).",
                "",
                "Examples:",
                "  TOKEN=$(msix token add orchestrator --role operator --store ./store)",
                "  msix token list --store ./store",
                "  msix token revoke orchestrator --store ./store",
                "  msix token migrate --tokens /etc/msix/tokens.json    # a file of tokens in the clear"},
        subcommands = {TokenCommand.Add.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class,
                TokenCommand.Migrate.class},
        footer = {"", "Exit codes: 0 ok; 1 the file could not be written; 2 bad usage, a name already present, or a",
                "tokens file that is missing, invalid, of the old form or readable by others; 3 revoke: no such name."})
final class TokenCommand implements Runnable {
    static final int NO_SUCH_NAME = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds a new token named NAME and prints it, once, alone on standard output.",
                    "The file is created (mode 0600) where it is missing. NAME becomes the actor of the events",
                    "its commands cause: 1..64 printable ASCII characters, no spaces.",
                    "",
                    "Example:",
                    "  TOKEN=$(msix token add orchestrator --role operator --tokens /etc/msix/tokens.json)"})
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the token's name, unique in the file")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "operator (sends commands and reads) or auditor (reads only)")
        String role;

        @Mixin
        TokensFileOption tokens;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = tokens.file();
            String token = TokensFileOption.orUsageError(spec, () -> TokensFile.add(file, name, Role.parse(role)));
            PrintWriter out = spec.commandLine().getOut();
            out.println(token);
            out.flush();
            spec.commandLine().getErr().println("msix: added \"" + name + "\" (" + Role.parse(role).text() + ") to "
                    + file + "; its token is printed this once on standard output, the file keeps only its hash");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists the tokens' names, roles and creation times (never their hashes).", "",
                    "Example:", "  msix token list --store ./store --json"})
    static final class ListTokens implements Callable<Integer> {
        @Option(names = "--json", description = "a JSON list of {\"name\",\"role\",\"created\"} instead of a table")
        boolean json;

        @Mixin
        TokensFileOption tokens;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = tokens.file();
            List<TokensFile.Entry> entries = TokensFileOption.orUsageError(spec, () -> TokensFile.read(file));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ArrayNode list = Json.mapper().createArrayNode();
                for (TokensFile.Entry entry : entries) {
                    list.addObject().put("name", entry.name()).put("role", entry.role().text())
                            .put("created", entry.created() == null ? null : entry.created().toString());
                }
                out.println(list);
            } else {
                int width = entries.stream().mapToInt(entry -> entry.name().length()).max().orElse(0);
                String row = "%-" + Math.max(width, 4) + "s  %-8s  %s";
                out.println(String.format(row, "NAME", "ROLE", "CREATED"));
                for (TokensFile.Entry entry : entries) {
                    out.println(String.format(row, entry.name(), entry.role().text(),
                            Objects.toString(entry.created(), "-")));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Removes the token named NAME: a running msix serve refuses it (401) from its next request.",
                    "", "Example:", "  msix token revoke orchestrator --store ./store"})
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the name of the token to remove")
        String name;

        @Mixin
        TokensFileOption tokens;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = tokens.file();
            if (!TokensFileOption.orUsageError(spec, () -> TokensFile.revoke(file, name))) {
                spec.commandLine().getErr().println("msix: no token named \"" + name + "\" in " + file
                        + " (msix token list shows the names)");
                return NO_SUCH_NAME;
            }
            spec.commandLine().getErr().println("msix: revoked \"" + name + "\" in " + file);
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Rewrites a tokens file of the old form, {\"name\",\"token\",\"role\"}, in place with the",
                    "SHA-256 hash of each token, keeping names, roles and order: clients keep their tokens.",
                    "A file that holds hashes only is left as it is.",
                    "", "Example:", "  msix token migrate --tokens /etc/msix/tokens.json"})
    static final class Migrate implements Callable<Integer> {
        @Mixin
        TokensFileOption tokens;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = tokens.file();
            int converted = TokensFileOption.orUsageError(spec, () -> TokensFile.migrate(file));
            spec.commandLine().getErr().println(converted == 0 ? "msix: " + file + " holds hashes only: nothing to migrate"
                    : "msix: " + file + " now holds the hashes of its " + converted + " tokens instead of the tokens;"
                    + " their holders keep using them");
            return 0;
        }
    }
}
