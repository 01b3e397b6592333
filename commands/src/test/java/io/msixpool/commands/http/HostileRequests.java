package io.msixpool.commands.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded batch of hostile requests for {@link OpenApiConformanceTest}: random methods, paths, query
 * strings, tokens, content types and bodies (commands of every type, some out of the rules' ranges, some
 * broken in one way). The same seed gives the same requests. Kept within the request limits of docs/http.md
 * (a line under 8 KiB, headers under 16 KiB) and well framed: what lies beyond is the HTTP codec's.
 */
final class HostileRequests {
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
            "get", "BREW"};
    private static final String[] PATHS = {"/v1/commands", "/v1/commands", "/v1/commands", "/v1/devices/{d}/pool",
            "/v1/devices/{d}/pool/watch", "/v1/events", "/v1/events", "/healthz", "/metrics", "/v1/openapi.json"};
    private static final String[] DEVICES = {"hz0", "hz1", "hz2", "ghost", "bad%20id", "%C3%A9t%C3%A9", "-lead", "a_b", "a,b",
            "x".repeat(65), "a.b:c-d", "hz0%2Fx"};
    private static final String[] ODD_PATHS = {"/", "/v1", "/v2/commands", "/V1/COMMANDS", "/v1/commands/", "//v1/commands",
            "/v1/devices//pool", "/v1/devices/hz0/pool/extra", "/v1/devices/hz0", "/favicon.ico", "/healthz/", "*",
            "/v1/events%zz", "/%", "/v1/devices/%G1/pool", "/metrics;x=1", "/v1/openapi.json.bak"};
    private static final String[] QUERY_VALUES = {"0", "1", "5", "10000", "10001", "-1", "x", "", "1.5", "1e3", "+3",
            "9223372036854775807", "9223372036854775808", "%zz", "%20", "0x10"};
    private static final String[] TYPES = {"ProvisionPf", "OpenPf", "ClosePf", "SetNumVfs", "Reclaim", "AssignVectors",
            "OpenVf", "ReleaseVectors", "CloseVf", "ArmReset"};
    private static final int[] NUMBERS = {0, 1, 2, 3, 4, 8, 12, 16, 32, 33, 64, 2048, 4097, -1, 16_777_216};

    private final Random random;

    HostileRequests(long seed) {
        this.random = new Random(seed);
    }

    List<RawRequest> next(int count) {
        List<RawRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(next());
        }
        return requests;
    }

    RawRequest next() {
        String target = target();
        // Mostly the method the path is described with, so that most requests reach an endpoint.
        String method = random.nextInt(4) > 0 ? (target.startsWith("/v1/commands") ? "POST" : "GET") : pick(METHODS);
        RawRequest request = RawRequest.of(method, target);
        request = switch (random.nextInt(20)) {
            case 0, 1 -> request;
            case 2, 3 -> request.header("Authorization", "Bearer not-a-token-of-anyone");
            case 4 -> request.header("Authorization", "Basic b3BzOnNlY3JldA==");
            case 5 -> request.header("Authorization", random.nextBoolean() ? "Bearer" : "bearer " + BusFixture.OPERATOR_TOKEN);
            case 6, 7, 8, 9, 10 -> request.token(BusFixture.AUDITOR_TOKEN);
            default -> request.token(BusFixture.OPERATOR_TOKEN);
        };
        if (random.nextInt(5) == 0) {
            request = request.header("Accept", pick(new String[] {"*/*", "text/html", "application/json", "text/event-stream"}));
        }
        if (random.nextInt(5) == 0) {
            request = request.header("X-Junk-" + random.nextInt(100), Long.toHexString(random.nextLong()));
        }
        if (method.equals("POST") ? random.nextInt(10) > 0 : random.nextInt(10) == 0) {
            request = withBody(request);
        }
        return request;
    }

    private String target() {
        String path = random.nextInt(6) == 0 ? pick(ODD_PATHS) : pick(PATHS).replace("{d}", pick(DEVICES));
        if (random.nextInt(3) > 0 && !path.equals("/v1/events")) {
            return path;
        }
        StringBuilder query = new StringBuilder();
        int parameters = random.nextInt(4);
        for (int i = 0; i < parameters; i++) {
            String name = pick(new String[] {"after", "limit", "after", "limit", "z"});
            query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(pick(QUERY_VALUES));
        }
        return path + query;
    }

    private RawRequest withBody(RawRequest request) {
        String contentType = switch (random.nextInt(20)) {
            case 0 -> null;
            case 1 -> "text/plain";
            case 2 -> "application/json; charset=latin1";
            case 3 -> "APPLICATION/JSON";
            case 4, 5 -> "application/json; charset=utf-8";
            default -> "application/json";
        };
        if (contentType != null) {
            request = request.header("Content-Type", contentType);
        }
        return request.body(random.nextInt(3) == 0 ? broken(command()) : command().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A command of a random type whose fields are of the right kinds, though often out of the rules' ranges. */
    private ObjectNode command() {
        String type = pick(TYPES);
        ObjectNode command = BusFixture.JSON.createObjectNode().put("type", type).put("device", "hz" + random.nextInt(3));
        if (!type.equals("ArmReset")) {
            command.put("pf", "nvme" + random.nextInt(3));
        }
        switch (type) {
            case "ProvisionPf" -> command.put("emulation", random.nextBoolean() ? "NVME" : "VIRTIO_BLK")
                    .put("vfCount", number()).put("msixTotal", number()).put("vfMinMsix", number()).put("vfMaxMsix", number());
            case "OpenPf" -> {
                if (random.nextBoolean()) {
                    command.put("dynamicMsix", random.nextBoolean());
                }
            }
            case "SetNumVfs" -> command.put("numVfs", number());
            case "AssignVectors" -> command.put("vf", random.nextInt(5)).put("msix", number());
            case "OpenVf", "ReleaseVectors", "CloseVf" -> command.put("vf", random.nextInt(5));
            case "ArmReset" -> command.put("kind", random.nextBoolean() ? "COLD_BOOT" : "FE_RESET");
            default -> { }
        }
        if (random.nextInt(3) == 0) {
            command.put("commandId", "h-" + random.nextInt(20)); // few ids: duplicates and reused ids
        }
        return command;
    }

    private int number() {
        return NUMBERS[random.nextInt(NUMBERS.length)];
    }

    /** The command broken in one way: a field missing, unknown or of the wrong kind, bad JSON, bad bytes, too big. */
    private byte[] broken(ObjectNode command) {
        String text = command.toString();
        String first = command.fieldNames().next().equals("type") ? "device" : "type";
        String changed = switch (random.nextInt(14)) {
            case 0 -> command.without(first).toString();
            case 1 -> command.put("msx", 1).toString();
            case 2 -> command.put("device", "bad id").toString();
            case 3 -> command.put("device", 7).toString();
            case 4 -> command.put("type", "Nope").toString();
            case 5 -> command.put("commandId", random.nextBoolean() ? "" : "has space").toString();
            case 6 -> text.replaceFirst(":(\\d+)", ":$1.5");
            case 7 -> text.replaceFirst(":(\\d+)", ":\"$1\"");
            case 8 -> text.replaceFirst(":(\\d+)", ":2147483648");
            case 9 -> text.substring(0, random.nextInt(text.length()));
            case 10 -> "[" + text + "]";
            case 11 -> text + " " + text;
            case 12 -> " ".repeat(64 * 1024) + text;
            default -> null;
        };
        if (changed != null) {
            return changed.getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        bytes[random.nextInt(bytes.length)] = (byte) 0xC3; // a lead byte without its continuation: not UTF-8
        return bytes;
    }

    private String pick(String[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
