package io.msixpool.commands.bench;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.http.BusServer;
import io.msixpool.commands.http.Tokens;
import io.msixpool.commands.http.TokensFile;
import io.msixpool.commands.store.StoreLocation;
import io.msixpool.commands.wire.Json;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.RejectionCode;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.event.DeviceEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/** A {@code msix serve} in this process on a loopback port, and a real HTTP client of it holding an operator token. */
final class LocalBus implements AutoCloseable {
    private final Engine engine;
    private final BusServer server;
    private final String token;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();

    private LocalBus(Engine engine, BusServer server, String token) {
        this.engine = engine;
        this.server = server;
        this.token = token;
        this.base = URI.create("http://127.0.0.1:" + server.address().getPort());
    }

    static LocalBus start(StoreLocation store, Path tokensDir) throws Exception {
        Path tokensFile = tokensDir.resolve("bench-tokens.json");
        String token = TokensFile.createDefault(tokensFile).orElseThrow();
        Engine engine = Engine.openWatchable(store);
        try {
            BenchKey.keepCheckpoints(engine, store); // as msix serve does
            return new LocalBus(engine, BusServer.start(engine, Tokens.follow(tokensFile), "127.0.0.1", 0), token);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    Engine engine() {
        return engine;
    }

    HttpClient client() {
        return client;
    }

    /** A request of {@code path} carrying the operator's token. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    }

    int port() {
        return server.address().getPort();
    }

    String token() {
        return token;
    }

    /** Sends one command and returns its outcome (200 or 422); anything else throws. */
    Outcome decide(DeviceCommand command) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/v1/commands"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(command))).build(),
                HttpResponse.BodyHandlers.ofString());
        var body = Json.mapper().readTree(response.body());
        if (response.statusCode() == 200) {
            List<DeviceEvent> events = new ArrayList<>();
            for (var event : body.get("events")) {
                events.add(Json.mapper().treeToValue(event, DeviceEvent.class));
            }
            return new Outcome.Accepted(body.path("duplicate").asBoolean(false), events);
        }
        if (response.statusCode() == 422) {
            return new Outcome.Rejected(RejectionCode.valueOf(body.get("code").asText()), body.get("message").asText());
        }
        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
    }

    /** {@code GET path} as the operator: the body of a 200, anything else throws. */
    String get(String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The {@code msix_watchers} gauge of {@code GET /metrics}. */
    int watchers() throws Exception {
        for (String line : get("/metrics").split("\n")) {
            if (line.startsWith("msix_watchers ")) {
                return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no msix_watchers in /metrics");
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
