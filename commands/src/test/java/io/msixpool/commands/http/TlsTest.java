package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusFixture.AUDITOR;
import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.OPERATOR;
import static io.msixpool.commands.http.BusFixture.OPERATOR_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.TestCertificates;
import io.msixpool.commands.support.TestCertificates.Issued;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bus over HTTPS and mutual TLS (docs/http.md, "TLS"), with real handshakes over loopback and
 * certificates made at test time: who may connect, and that a client certificate never gives a
 * role or names an actor (the bearer token does).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsTest {
    private static Path dir;
    private static Issued ca;
    private static Path serverCert;
    private static Path serverKey;
    private static Path clientCa;

    @BeforeAll
    static void certificates() throws IOException {
        dir = Files.createTempDirectory("msix-tls-");
        ca = TestCertificates.authority("msix test CA");
        Issued server = TestCertificates.server(ca);
        serverCert = TestCertificates.writeCertificates(dir.resolve("server.pem"), server.certificate());
        serverKey = TestCertificates.writePkcs8(dir.resolve("server.key"), server.keys().getPrivate());
        clientCa = TestCertificates.writeCertificates(dir.resolve("client-ca.pem"), ca.certificate());
    }

    private static HttpClient trusting(Issued authority, Issued identity) {
        return TestCertificates.client(TestCertificates.clientContext(authority.certificate(), identity));
    }

    @Test
    void commandsAndPoolsWorkOverHttpsAndPlainHttpToItsPortFails() throws Exception {
        ServerTls tls = ServerTls.load(serverCert, serverKey, null);
        assertFalse(tls.requiresClientCertificates());
        try (BusFixture bus = BusFixture.startTls(TestStores.Kind.EMBEDDED, tls, trusting(ca, null))) {
            assertEquals("https", bus.base.getScheme());
            bus.accept(BusFixture.provision("bf3-tls", "nvme0", 4, 64));
            assertEquals("bf3-tls", bus.pool("bf3-tls").path("device").asText());
            assertActors(OPERATOR, bus.events());

            URI plain = URI.create("http://127.0.0.1:" + bus.port() + "/v1/devices/bf3-tls/pool");
            IOException refused = assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(20))
                            .header("Authorization", "Bearer " + AUDITOR_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()), "plain HTTP gets no answer from the HTTPS port");
            assertFalse(refused instanceof HttpTimeoutException, () -> "the server closes the connection at once: " + refused);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServersCaFailsTheHandshake() throws Exception {
        ServerTls tls = ServerTls.load(serverCert, serverKey, null);
        try (BusFixture bus = BusFixture.startTls(TestStores.Kind.EMBEDDED, tls, trusting(ca, null))) {
            Issued stranger = TestCertificates.authority("msix test CA"); // the same name, another key
            for (HttpClient client : List.of(trusting(stranger, null), HttpClient.newHttpClient())) {
                IOException failed = assertThrows(IOException.class, () -> client.send(
                        bus.request("/healthz").timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString()));
                assertTrue(causedBy(failed, SSLException.class), () -> "a failed handshake: " + failed);
            }
        }
    }

    @Test
    void mutualTlsAdmitsOnlyClientCertificatesOfTheCaAndTheTokenStillNamesTheCallerAndRole() throws Exception {
        ServerTls tls = ServerTls.load(serverCert, serverKey, clientCa);
        assertTrue(tls.requiresClientCertificates());
        // The certificate names the auditor, the token is the operator's: the token decides.
        Issued auditorsCertificate = TestCertificates.client(ca, AUDITOR);
        try (BusFixture bus = BusFixture.startTls(TestStores.Kind.EMBEDDED, tls, trusting(ca, auditorsCertificate))) {
            bus.accept(BusFixture.provision("bf3-mtls", "nvme0", 4, 64));
            List<ObjectNode> provisioned = bus.events();
            assertActors(OPERATOR, provisioned); // the token's name, not the certificate's

            // The operator's name in a certificate gives no operator's role, and no token is no caller.
            try (HttpClient asOperator = trusting(ca, TestCertificates.client(ca, OPERATOR))) {
                HttpResponse<String> auditorSending = asOperator.send(
                        command(bus, AUDITOR_TOKEN, "mtls-auditor"), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, auditorSending.statusCode(), auditorSending::body);
                HttpResponse<String> noToken = asOperator.send(
                        command(bus, null, "mtls-none"), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, noToken.statusCode(), noToken::body);
            }

            Issued otherCa = TestCertificates.authority("msix test CA"); // the same name, another key
            List<HttpClient> refused = List.of(
                    trusting(ca, null),                                         // no certificate
                    trusting(ca, TestCertificates.client(otherCa, OPERATOR)));  // signed by another CA
            for (HttpClient client : refused) {
                IOException failed = assertThrows(IOException.class, () -> client.send(
                        command(bus, OPERATOR_TOKEN, "mtls-refused"), HttpResponse.BodyHandlers.ofString()));
                assertFalse(failed instanceof HttpTimeoutException, () -> "refused at once: " + failed);
            }
            assertEquals(provisioned, bus.events(), "the refused connections and callers recorded nothing");
            assertFalse(bus.pool("bf3-mtls").path("pfs").path(0).path("open").asBoolean(true), "no OpenPf was decided");
        }
    }

    private static void assertActors(String actor, List<ObjectNode> events) {
        assertFalse(events.isEmpty(), "events were recorded");
        for (ObjectNode event : events) {
            assertEquals(actor, event.path("envelope").path("actor").asText(), event::toString);
        }
    }

    private static HttpRequest command(BusFixture bus, String token, String commandId) {
        HttpRequest.Builder request = bus.request("/v1/commands").timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"OpenPf\",\"device\":\"bf3-mtls\",\"pf\":\"nvme0\",\"commandId\":\"" + commandId + "\"}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
