package io.msixpool.commands.support;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.http.SigningKeyFile;
import io.msixpool.replay.merkle.Checkpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One {@code msix serve} as a real child process: started on the test class path, ready once it printed
 * {@code verifier key: VKEY} and then {@code listening on http://HOST:PORT} (or https), its standard error
 * kept in a file, stopped with SIGTERM.
 * Carries a plain HTTP/1.1 client for its bus.
 */
public final class ServeNode implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("listening on (https?)://(.+):(\\d+)");
    private static final String VERIFIER_KEY = "verifier key: ";
    /**
     * The signing key of each PostgreSQL store a node was started on without --signing-key: an
     * operator gives every node of a store the same key file, and so do the tests.
     */
    private static final Map<String, Path> SIGNING_KEYS = new ConcurrentHashMap<>();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path err;
    private final String scheme;
    private final String host;
    private final int port;
    private final String verifierKey;
    private final HttpClient http;

    private ServeNode(Process process, Path err, String scheme, String host, int port, String verifierKey) {
        this.verifierKey = verifierKey;
        this.process = process;
        this.err = err;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.http = client();
    }

    /** A client that speaks HTTP/1.1 only (no h2c upgrade attempt), as curl and most services do. */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Starts {@code msix serve args} and waits until it listens; fails with its standard error if it ends first. */
    public static ServeNode start(String... args) {
        try {
            Path err = Files.createTempFile("msix-serve-err", ".txt");
            String[] serve = withSigningKey(args);
            Process process = MsixProcess.builder(serve).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            CompletableFuture<Matcher> listening = new CompletableFuture<>();
            CompletableFuture<String> verifierKey = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        Matcher matcher = LISTENING.matcher(line);
                        if (line.startsWith(VERIFIER_KEY) && !verifierKey.isDone()) {
                            verifierKey.complete(line.substring(VERIFIER_KEY.length()));
                        } else if (matcher.matches() && verifierKey.isDone()) {
                            listening.complete(matcher);
                        } else {
                            listening.completeExceptionally(new AssertionError("unexpected stdout line: " + line));
                        }
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
                listening.completeExceptionally(new AssertionError("stdout ended without a listening line"));
            }, "serve-stdout");
            reader.setDaemon(true);
            reader.start();
            try {
                Matcher matcher = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return new ServeNode(process, err, matcher.group(1), matcher.group(2), Integer.parseInt(matcher.group(3)),
                        verifierKey.getNow(null));
            } catch (Exception notListening) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                return fail("msix " + String.join(" ", serve) + " did not start: " + notListening
                        + (process.isAlive() ? "" : ", exit " + process.exitValue())
                        + "\n--- stderr ---\n" + errTail(Files.readString(err)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code serve} and {@code args}, with the store's own --signing-key for a PostgreSQL store that has none. */
    private static String[] withSigningKey(String[] args) throws IOException {
        List<String> serve = new ArrayList<>(List.of("serve"));
        serve.addAll(List.of(args));
        int store = serve.indexOf("--store");
        if (store > 0 && serve.get(store + 1).startsWith("jdbc:postgresql:") && !serve.contains("--signing-key")) {
            Path key = SIGNING_KEYS.computeIfAbsent(serve.get(store + 1), url -> {
                Path file = Path.of(System.getProperty("java.io.tmpdir"), "msix-key-" + UUID.randomUUID(), "checkpoint.key");
                SigningKeyFile.create(file, Checkpoint.randomOrigin());
                return file;
            });
            serve.addAll(List.of("--signing-key", key.toString()));
        }
        return serve.toArray(String[]::new);
    }

    /** The verifier key the node printed before it listened: {@code <origin>+<key id>+<public key>}. */
    public String verifierKey() {
        return verifierKey;
    }

    /** {@code http}, or {@code https} for a node started with {@code --tls-cert}. */
    public String scheme() {
        return scheme;
    }

    /** The host as printed in the listening line. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    /** POST /v1/commands with {@code command} as the body. */
    public HttpResponse<String> command(String token, String command) throws IOException, InterruptedException {
        return http.send(commandRequest(uri("/v1/commands"), token, command), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpRequest commandRequest(URI uri, String token, String command) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(command)).build();
    }

    public HttpResponse<String> get(String token, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The pool view of a known device, as JSON; fails unless the answer is 200. */
    public JsonNode pool(String token, String device) throws IOException, InterruptedException {
        HttpResponse<String> response = get(token, "/v1/devices/" + device + "/pool");
        if (response.statusCode() != 200) {
            fail("GET pool of " + device + ": " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    /** The whole exported event log (GET /v1/events), each line parsed; fails unless it fits in one page. */
    public List<JsonNode> events(String token) throws IOException, InterruptedException {
        HttpResponse<String> response = get(token, "/v1/events?limit=10000");
        if (response.statusCode() != 200) {
            fail("GET /v1/events: " + response.statusCode() + " " + response.body());
        }
        List<JsonNode> events = response.body().lines().map(ServeNode::json).toList();
        if (events.size() == 10_000) {
            fail("more events than one page holds");
        }
        return events;
    }

    /** The lines of standard error that tell of a failure, a warning of the server's own, or a stack trace. */
    public List<String> troubles() {
        return stderr().lines().filter(line -> line.startsWith("\tat ") || line.contains("Exception")
                || line.contains(" ERROR ") || line.contains(" WARN ") || line.contains("failed")).toList();
    }

    public String stderr() {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM and waits for the process to end; false when it did not end within {@code limit}. */
    public boolean terminate(Duration limit) throws InterruptedException {
        process.destroy();
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !terminate(Duration.ofSeconds(40))) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return fail("not JSON: <" + text + ">: " + e.getOriginalMessage());
        }
    }

    /**
     * A tokens file for {@code operators} (role operator) and {@code auditors} (role auditor), holding
     * the tokens' hashes as msix token add writes them; returns the tokens by name.
     */
    public static Map<String, String> writeTokens(Path file, List<String> operators, List<String> auditors) {
        Map<String, String> tokens = new LinkedHashMap<>();
        ArrayNode list = JSON.createArrayNode();
        SecureRandom random = new SecureRandom();
        for (String name : operators) {
            tokens.put(name, randomToken(random));
            list.add(tokenEntry(name, tokens.get(name), "operator"));
        }
        for (String name : auditors) {
            tokens.put(name, randomToken(random));
            list.add(tokenEntry(name, tokens.get(name), "auditor"));
        }
        writeOwnerOnly(file, list.toPrettyString());
        return tokens;
    }

    /** One entry of a tokens file: {@code {"name","sha256","role"}}, the token itself only as its hash. */
    public static ObjectNode tokenEntry(String name, String token, String role) {
        return JSON.createObjectNode().put("name", name).put("sha256", sha256Hex(token)).put("role", role);
    }

    /** Lowercase hex of the SHA-256 of the token's UTF-8 bytes, as a tokens file holds it. */
    public static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code text} to {@code file} readable and writable by its owner only, as a tokens file must be. */
    public static void writeOwnerOnly(Path file, String text) {
        try {
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomToken(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The last lines of standard error, without the JDK's warnings. */
    public static String errTail(String err) {
        List<String> lines = err.lines().filter(line -> !line.startsWith("WARNING: ")).toList();
        return lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream().collect(Collectors.joining("\n"));
    }
}
