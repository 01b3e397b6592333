package io.msixpool.commands.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

/**
 * HTTPS for the bus (docs/http.md, "TLS"): the server's certificate chain and key, and optionally the
 * CA whose certificates clients must present (mutual TLS).
 *
 * <p>A client certificate authenticates the connection only. It gives no role and names no actor:
 * those come from the bearer token alone ({@link Tokens}), so roles and actors stay defined in one
 * place, and a connection the CA did not vouch for never reaches the routes at all.
 *
 * <p>Everything is read and checked by {@link #load}, so a bad file is a usage error before a store
 * is opened, not a failure of the first handshake.
 */
public final class ServerTls {
    private final SslContext context;
    private final boolean mutual;

    private ServerTls(SslContext context, boolean mutual) {
        this.context = context;
        this.mutual = mutual;
    }

    /**
     * @param certificateChain PEM certificates, the server's own first, then any intermediates
     * @param privateKey       PEM PKCS#8 private key of the first certificate, unencrypted
     * @param clientCa         PEM certificates of the CA that signs client certificates, or null for no
     *                         client certificates
     * @throws IllegalArgumentException naming the option, the file and what is wrong with it
     */
    public static ServerTls load(Path certificateChain, Path privateKey, Path clientCa) {
        List<X509Certificate> chain = PemFiles.certificates(certificateChain, "--tls-cert");
        PrivateKey key = PemFiles.privateKey(privateKey, "--tls-key");
        requireKeyOf(chain.get(0), key, certificateChain, privateKey);
        List<X509Certificate> clientAuthorities = clientCa == null ? List.of()
                : PemFiles.certificates(clientCa, "--tls-client-ca");
        Http11SslContextSpec spec = Http11SslContextSpec.forServer(key, chain.toArray(X509Certificate[]::new));
        if (clientCa != null) {
            spec = spec.configure(builder -> builder
                    .trustManager(clientAuthorities.toArray(X509Certificate[]::new))
                    .clientAuth(ClientAuth.REQUIRE));
        }
        try {
            return new ServerTls(spec.sslContext(), clientCa != null);
        } catch (SSLException | IllegalArgumentException refused) {
            throw new IllegalArgumentException("--tls-cert " + certificateChain + " and --tls-key " + privateKey
                    + " cannot serve TLS: " + refused.getMessage(), refused);
        }
    }

    /**
     * A key that is not the certificate's would only show as every handshake failing: signing a few
     * bytes with the key and checking them with the certificate's public key finds it at start.
     */
    private static void requireKeyOf(X509Certificate certificate, PrivateKey key, Path certificateFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null; // RSASSA-PSS needs parameters from the key: left to the handshake
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "msix serve: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        boolean belongs;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            belongs = verifier.verify(signature);
        } catch (GeneralSecurityException differentKinds) {
            belongs = false; // an EC key and an RSA certificate, say
        }
        if (!belongs) {
            throw new IllegalArgumentException("--tls-key " + keyFile + " is not the private key of the first"
                    + " certificate in --tls-cert " + certificateFile + " (" + certificate.getSubjectX500Principal()
                    + "); give the key that certificate was issued for");
        }
    }

    /** Whether clients must present a certificate signed by the {@code --tls-client-ca}. */
    public boolean requiresClientCertificates() {
        return mutual;
    }

    HttpServer applyTo(HttpServer server) {
        return server.secure(spec -> spec.sslContext(context));
    }
}
