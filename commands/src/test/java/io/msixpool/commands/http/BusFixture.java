package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A real {@link BusServer} on a free loopback port over a fresh real store, with a tokens file of one
 * operator and one auditor (followed as {@code msix serve} follows it), and a {@link HttpClient} to talk
 * to it. Closing stops the server (which closes the engine).
 */
final class BusFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OPERATOR = "ops-alice";
    static final String OPERATOR_TOKEN = "op-7f3a9c1e5b2d4f6a8c0e";
    static final String AUDITOR = "audit-bob";
    static final String AUDITOR_TOKEN = "au-1b2c3d4e5f60718293a4";

    final TestStores.Kind kind;
    final Path tokensFile;
    final Tokens tokens;
    final Engine engine;
    final BusServer server;
    final URI base;
    final HttpClient http;

    private BusFixture(TestStores.Kind kind, Path tokensFile, Tokens tokens, Engine engine, BusServer server, String scheme,
                       HttpClient http) {
        this.kind = kind;
        this.tokensFile = tokensFile;
        this.tokens = tokens;
        this.engine = engine;
        this.server = server;
        this.base = URI.create(scheme + "://127.0.0.1:" + server.address().getPort());
        this.http = http;
    }

    static BusFixture start(TestStores.Kind kind) {
        return start(kind, BusServer.Timeouts.DEFAULT);
    }

    static BusFixture start(TestStores.Kind kind, BusServer.Timeouts timeouts) {
        return startOn(kind, TestStores.fresh(kind), timeouts);
    }

    /** A server on a given store (as {@code --store} takes it), for a test that controls the store's server. */
    static BusFixture startOn(TestStores.Kind kind, String store, BusServer.Timeouts timeouts) {
        return startOn(kind, store, timeouts, ConnectionGate.Limits.forThisMachine());
    }

    static BusFixture startOn(TestStores.Kind kind, String store, BusServer.Timeouts timeouts, ConnectionGate.Limits limits) {
        return start(StoreLocation.parse(store), (engine, tokens) -> BusServer.start(engine, tokens, "127.0.0.1", 0,
                timeouts, limits, Optional.empty()), kind, "http", HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** A node of a PostgreSQL store whose engine polls it for other nodes' events only every {@code poll}. */
    static BusFixture startPolling(String store, Duration poll) {
        return start(new StoreLocation.Postgres(store, poll), (engine, tokens) -> BusServer.start(engine, tokens,
                "127.0.0.1", 0, BusServer.Timeouts.DEFAULT, ConnectionGate.Limits.forThisMachine(), Optional.empty()),
                TestStores.Kind.POSTGRES, "http", HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** Over HTTPS with {@code tls}; {@link #http} is {@code client}, set up to trust the server. */
    static BusFixture startTls(TestStores.Kind kind, ServerTls tls, HttpClient client) {
        return start(StoreLocation.parse(TestStores.fresh(kind)), (engine, tokens) -> BusServer.start(engine, tokens,
                "127.0.0.1", 0, BusServer.Timeouts.DEFAULT, ConnectionGate.Limits.forThisMachine(), Optional.of(tls)), kind, "https", client);
    }

    /** The tokens file is followed as {@code msix serve} follows it: tests may change it while the server runs. */
    private static BusFixture start(StoreLocation store, BiFunction<Engine, Tokens, BusServer> serve,
                                    TestStores.Kind kind, String scheme, HttpClient client) {
        Path tokensFile = tokensFile();
        Tokens tokens = Tokens.follow(tokensFile);
        Engine engine = Engine.openWatchable(store);
        try {
            return new BusFixture(kind, tokensFile, tokens, engine, serve.apply(engine, tokens), scheme, client);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The form msix token add writes: the tokens' hashes, owner-only. */
    private static Path tokensFile() {
        try {
            Path file = Files.createTempDirectory("msix-bus-").resolve("tokens.json");
            var list = JSON.createArrayNode();
            list.add(ServeNode.tokenEntry(OPERATOR, OPERATOR_TOKEN, "operator"));
            list.add(ServeNode.tokenEntry(AUDITOR, AUDITOR_TOKEN, "auditor"));
            ServeNode.writeOwnerOnly(file, list.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.address().getPort();
    }

    // ---- requests

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    HttpResponse<String> get(String token, String path) {
        HttpRequest.Builder request = request(path).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    HttpResponse<String> post(String token, String body) {
        HttpRequest.Builder request = request("/v1/commands")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** Sends a command as the operator and returns its result; fails unless it was accepted. */
    ObjectNode accept(String command) {
        HttpResponse<String> response = post(OPERATOR_TOKEN, command);
        assertEquals(200, response.statusCode(), () -> command + " -> " + response.body());
        ObjectNode result = object(response.body());
        assertEquals(true, result.path("ok").asBoolean(false), () -> command + " -> " + response.body());
        return result;
    }

    /** A PF with {@code vfCount} VFs of 16 vectors each by default, opened with dynamic MSI-X and reclaimed. */
    void openReclaimedPf(String device, String pf, int vfCount) {
        accept(provision(device, pf, vfCount, vfCount * 16));
        accept("{\"type\":\"OpenPf\",\"device\":\"" + device + "\",\"pf\":\"" + pf + "\"}");
        accept("{\"type\":\"Reclaim\",\"device\":\"" + device + "\",\"pf\":\"" + pf + "\"}");
    }

    static String provision(String device, String pf, int vfCount, int msixTotal) {
        return "{\"type\":\"ProvisionPf\",\"device\":\"" + device + "\",\"pf\":\"" + pf
                + "\",\"emulation\":\"NVME\",\"vfCount\":" + vfCount + ",\"msixTotal\":" + msixTotal
                + ",\"vfMinMsix\":2,\"vfMaxMsix\":32}";
    }

    static String assign(String device, String pf, int vf, int msix) {
        return "{\"type\":\"AssignVectors\",\"device\":\"" + device + "\",\"pf\":\"" + pf + "\",\"vf\":" + vf
                + ",\"msix\":" + msix + "}";
    }

    // ---- reads through the bus itself

    /** Every event of the log from the start, through {@code GET /v1/events} as the auditor (pages of 10,000). */
    List<ObjectNode> events() {
        List<ObjectNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            HttpResponse<String> response = get(AUDITOR_TOKEN, "/v1/events?limit=10000&after=" + after);
            assertEquals(200, response.statusCode(), response::body);
            List<ObjectNode> page = lines(response.body());
            all.addAll(page);
            if (page.size() < 10_000) {
                return all;
            }
            after = page.get(page.size() - 1).path("envelope").path("position").asLong();
        }
    }

    /** The pool view of a device as the bus answers it now (status and body). */
    HttpResponse<String> poolResponse(String device) {
        return get(AUDITOR_TOKEN, "/v1/devices/" + device + "/pool");
    }

    ObjectNode pool(String device) {
        HttpResponse<String> response = poolResponse(device);
        assertEquals(200, response.statusCode(), response::body);
        return object(response.body());
    }

    /** {@code GET /metrics}: every sample line as "name{labels}" to its value. */
    Map<String, Double> metrics() {
        HttpResponse<String> response = get(AUDITOR_TOKEN, "/metrics");
        assertEquals(200, response.statusCode(), response::body);
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    static double sample(Map<String, Double> metrics, String key) {
        return metrics.getOrDefault(key, 0.0);
    }

    // ---- JSON

    static ObjectNode object(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
            return fail("not one JSON object: <" + text + ">");
        } catch (JsonProcessingException e) {
            return fail("not valid JSON: <" + text + ">: " + e.getOriginalMessage());
        }
    }

    static List<ObjectNode> lines(String text) {
        List<ObjectNode> objects = new ArrayList<>();
        if (text.isEmpty()) {
            return objects;
        }
        if (!text.endsWith("\n")) {
            fail("JSON lines end with a newline: <" + text + ">");
        }
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                objects.add(object(line));
            }
        }
        return objects;
    }

    @Override
    public void close() {
        server.close();
    }
}
