package io.msixpool.commands.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.http.BusServer;
import io.msixpool.commands.http.Tokens;
import io.msixpool.commands.http.TokensFile;
import io.msixpool.commands.store.JdbcTransactions;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/** The three contenders of issue 6, each on a store of the same type. */
final class Contenders {
    private Contenders() {
    }

    /** msix-pool in-process: the engine's group commit, as msix serve decides. */
    static Contender engine(StoreLocation store) {
        Engine engine = Engine.open(store);
        return new Contender() {
            public String name() {
                return "engine";
            }

            public Outcome decide(DeviceCommand command) {
                return engine.submitGrouped(command, "bench").join();
            }

            public void close() {
                engine.close();
            }
        };
    }

    /** msix-pool behind its HTTP bus on loopback, a real HTTP client per call. */
    static Contender http(StoreLocation store, Path tokensDir) throws Exception {
        Path tokensFile = tokensDir.resolve("bench-tokens.json");
        String token = TokensFile.createDefault(tokensFile).orElseThrow();
        BusServer server = BusServer.start(Engine.openWatchable(store), Tokens.follow(tokensFile), "127.0.0.1", 0);
        URI commands = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/commands");
        HttpClient client = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();
        return new Contender() {
            public String name() {
                return "http";
            }

            public Outcome decide(DeviceCommand command) throws Exception {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(commands)
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
                    return new Outcome.Rejected(RejectionCode.valueOf(body.get("code").asText()),
                            body.get("message").asText());
                }
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }

            public void close() {
                server.close();
                client.close();
            }
        };
    }

    /** The in-place CRUD allocator, with the same durability per commit as the engine on that store. */
    static Contender crud(StoreLocation store) {
        HikariDataSource dataSource = store.open(StoreLocation.Access.WRITE);
        // The embedded store's write transactions begin IMMEDIATE: each holds the whole store.
        CrudAllocator crud = new CrudAllocator(new JdbcTransactions(dataSource, store.probeBeforeCommit()),
                store instanceof StoreLocation.Embedded);
        return new Contender() {
            public String name() {
                return "crud";
            }

            public Outcome decide(DeviceCommand command) throws Exception {
                return crud.decide(command);
            }

            public void close() {
                dataSource.close();
            }
        };
    }
}
