package io.msixpool.commands.cli;

import io.msixpool.commands.wire.Json;
import io.msixpool.replay.merkle.Checkpoint;
import io.msixpool.replay.merkle.MerkleTree;
import io.msixpool.replay.merkle.NoteKey;
import io.msixpool.replay.merkle.StrictBase64;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify-consistency", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks that a newer signed checkpoint of the log extends an older one.",
                "",
                "OLD and NEW are signed checkpoints of one log (GET /v1/checkpoint, msix checkpoint), OLD",
                "kept from before; PROOF is the answer of GET /v1/proof/consistency?from=M&to=N with M",
                "OLD's size and N NEW's. Both signatures are checked with the verifier key, both origins",
                "must be its name, and the proof (RFC 9162, 2.1.4) must link OLD's root to NEW's: then the",
                "log NEW covers holds exactly the events OLD covered as its first ones, nothing of them",
                "changed, removed or reordered. Needs neither the log nor the server, only these files.",
                ""},
        footer = {"",
                "Examples:",
                "  curl -s \"$URL/v1/proof/consistency?from=$OLD_SIZE&to=$NEW_SIZE\" > proof.json",
                "  msix verify-consistency cp-old.txt cp-new.txt proof.json --key @verifier.key",
                "",
                "Exit codes: 0 NEW extends OLD; 1 it does not, or a file is unreadable or not signed by the",
                "key (the reason on standard error, or in --json); 2 bad usage (a missing argument, a bad key)."})
final class VerifyConsistencyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD", description = "the signed checkpoint kept from before")
    Path older;

    @Parameters(index = "1", paramLabel = "NEW", description = "the newer signed checkpoint")
    Path newer;

    @Parameters(index = "2", paramLabel = "PROOF", description = "the JSON of GET /v1/proof/consistency from OLD's size to NEW's")
    Path proofFile;

    @Option(names = "--key", paramLabel = "VKEY", required = true, description = SignedCheckpoints.KEY_HELP)
    String key;

    @Option(names = "--json", description = "one JSON object on standard output: ok, message, and the two checkpoints")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        NoteKey verifier = SignedCheckpoints.verifierKey(spec, "--key", key);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", false);
        try {
            Checkpoint old = SignedCheckpoints.open(older, verifier);
            answer.put("origin", old.origin());
            answer.put("old", describe(old));
            Checkpoint latest = SignedCheckpoints.open(newer, verifier);
            answer.put("new", describe(latest));
            ConsistencyProofFile proof = ConsistencyProofFile.read(proofFile);
            check(old, latest, proof);
            answer.put("ok", true);
            answer.put("message", String.format(Locale.ROOT, "NEW extends OLD: the log %s of %,d events holds the %,d"
                    + " events of %s as its first, unchanged", old.origin(), latest.size(), old.size(), older));
        } catch (SignedCheckpoints.Refused refused) {
            answer.put("message", refused.getMessage());
        }
        boolean ok = (Boolean) answer.get("ok");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            out.println(Json.write(answer));
        } else if (ok) {
            out.println(answer.get("message"));
        } else {
            err.println("msix: " + answer.get("message"));
        }
        out.flush();
        err.flush();
        return ok ? 0 : Msix.ENGINE_FAILED;
    }

    private void check(Checkpoint old, Checkpoint latest, ConsistencyProofFile proof) throws SignedCheckpoints.Refused {
        if (old.size() > latest.size()) {
            throw new SignedCheckpoints.Refused(String.format(Locale.ROOT, "OLD %s covers %,d events, NEW %s only %,d:"
                    + " a newer checkpoint never covers fewer (are OLD and NEW swapped?)", older, old.size(), newer,
                    latest.size()));
        }
        if (proof.from() != old.size() || proof.to() != latest.size()) {
            throw new SignedCheckpoints.Refused(String.format(Locale.ROOT, "proof %s is from %d to %d, the checkpoints"
                    + " are of %d and %d events: fetch /v1/proof/consistency?from=%d&to=%d", proofFile, proof.from(),
                    proof.to(), old.size(), latest.size(), old.size(), latest.size()));
        }
        if (!MerkleTree.verifyConsistency(old.size(), latest.size(), old.rootHash(), latest.rootHash(), proof.hashes())) {
            // A bad proof and a forked log look the same from here: only a valid proof says anything.
            throw new SignedCheckpoints.Refused(String.format(Locale.ROOT, "NEW does not extend OLD: proof %s does not"
                    + " link the root of OLD's %,d events to NEW's root; either the log's first %,d events changed"
                    + " after OLD was signed (a rewritten or forked history, signed by the log's own key), or the proof"
                    + " was altered: ask for it again, and keep OLD and NEW as evidence", proofFile, old.size(),
                    old.size()));
        }
    }

    private static Map<String, Object> describe(Checkpoint checkpoint) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("size", checkpoint.size());
        json.put("root", StrictBase64.encode(checkpoint.rootHash()));
        return json;
    }
}
