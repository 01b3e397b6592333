package io.msixpool.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.msixpool.commands.wire.Json;
import io.msixpool.replay.merkle.MerkleHash;
import io.msixpool.replay.merkle.StrictBase64;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A consistency proof as {@code GET /v1/proof/consistency?from=M&to=N} answers it:
 * {@code {"from":M,"to":N,"hashes":[base64, ...]}}, the hashes in standard padded base64. Read
 * strictly (sizes as JSON integers, each hash 32 bytes in its one base64 spelling), since the proof
 * is what an untrusted log hands the auditor; fields other than these three are passed over.
 */
record ConsistencyProofFile(long from, long to, List<byte[]> hashes) {

    static ConsistencyProofFile read(Path file) throws SignedCheckpoints.Refused {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SignedCheckpoints.Refused("proof " + Msix.describe(e));  // "proof PATH: no such file or directory"
        }
        String what = "proof " + file + " is not the JSON of GET /v1/proof/consistency ({\"from\":M,\"to\":N,"
                + "\"hashes\":[base64, ...]}): ";
        JsonNode json;
        try {
            json = Json.mapper().readTree(bytes);
        } catch (IOException notJson) {
            throw new SignedCheckpoints.Refused(what + Msix.describe(notJson));
        }
        if (json == null || !json.isObject()) {
            throw new SignedCheckpoints.Refused(what + "not one JSON object");
        }
        long from = size(json, "from", what);
        long to = size(json, "to", what);
        JsonNode hashes = json.get("hashes");
        if (hashes == null || !hashes.isArray()) {
            throw new SignedCheckpoints.Refused(what + "no \"hashes\" array");
        }
        List<byte[]> proof = new ArrayList<>();
        for (JsonNode hash : hashes) {
            byte[] hashBytes;
            try {
                hashBytes = hash.isTextual() ? StrictBase64.decode(hash.asText(), "hash " + proof.size()) : null;
            } catch (IllegalArgumentException notBase64) {
                throw new SignedCheckpoints.Refused(what + notBase64.getMessage());
            }
            if (hashBytes == null || hashBytes.length != MerkleHash.SIZE) {
                throw new SignedCheckpoints.Refused(what + "hash " + proof.size() + " is not " + MerkleHash.SIZE
                        + " bytes in base64");
            }
            proof.add(hashBytes);
        }
        return new ConsistencyProofFile(from, to, proof);
    }

    private static long size(JsonNode json, String field, String what) throws SignedCheckpoints.Refused {
        JsonNode value = json.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new SignedCheckpoints.Refused(what + "\"" + field + "\" is not a tree size (a JSON integer, 0 or more)");
        }
        return value.asLong();
    }
}
