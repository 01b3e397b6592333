package io.msixpool.commands.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys from PEM files, read with the JDK alone, every problem named with its
 * file. Netty reads PEM too, but reads more kinds of key when BouncyCastle happens to be on the class
 * path: reading them here keeps what {@code msix serve} accepts the same wherever it runs.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** The key algorithms the JDK's TLS can sign a handshake with. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");

    private record Block(String label, String body) {
    }

    private PemFiles() {
    }

    /** The certificates of {@code file} in their order (a chain: the server's own first). */
    static List<X509Certificate> certificates(Path file, String option) {
        List<Block> blocks = blocks(file, option);
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks) {
            if (block.label().equals("CERTIFICATE")) {
                certificates.add(certificate(file, option, block));
            } else if (block.label().endsWith("PRIVATE KEY")) {
                // Refused even beside certificates: a certificate file is handed around, a key must not be.
                throw problem(option, file, "holds a private key, where certificates were expected"
                        + " (--tls-cert and --tls-key swapped? the key goes in its own file, for --tls-key)");
            }
        }
        if (certificates.isEmpty()) {
            throw problem(option, file, "holds no certificate (a -----BEGIN CERTIFICATE----- block)");
        }
        return certificates;
    }

    /** The one unencrypted PKCS#8 private key of {@code file}; other kinds are refused saying how to convert them. */
    static PrivateKey privateKey(Path file, String option) {
        List<Block> keys = blocks(file, option).stream().filter(block -> block.label().endsWith("PRIVATE KEY")).toList();
        if (keys.isEmpty()) {
            throw problem(option, file, "holds no private key (a -----BEGIN PRIVATE KEY----- block)");
        }
        if (keys.size() > 1) {
            throw problem(option, file, "holds " + keys.size() + " private keys; give a file with one");
        }
        Block key = keys.get(0);
        String convert = "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem";
        switch (key.label()) {
            case "PRIVATE KEY" -> {
                return pkcs8(file, option, key);
            }
            case "ENCRYPTED PRIVATE KEY" -> throw problem(option, file, "is encrypted; msix reads an unencrypted"
                    + " PKCS#8 key (keep the file readable by its owner only). Decrypt it with: " + convert);
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw problem(option, file,
                    "holds " + (key.label().startsWith("RSA") ? "a PKCS#1 RSA key" : "an EC key in SEC1 form")
                            + " (-----BEGIN " + key.label() + "-----); msix reads PKCS#8 keys"
                            + " (-----BEGIN PRIVATE KEY-----). Convert it with: " + convert);
            default -> throw problem(option, file, "holds a \"" + key.label() + "\" key; msix reads PKCS#8 keys"
                    + " (-----BEGIN PRIVATE KEY-----)");
        }
    }

    private static PrivateKey pkcs8(Path file, String option, Block block) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(decode(file, option, block));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // the encoding names its algorithm; the next factory may read it
            }
        }
        throw problem(option, file, "holds a private key that is not RSA, EC or EdDSA, or is damaged");
    }

    private static X509Certificate certificate(Path file, String option, Block block) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(decode(file, option, block)));
        } catch (CertificateException damaged) {
            throw problem(option, file, "holds a damaged certificate: " + damaged.getMessage());
        }
    }

    private static byte[] decode(Path file, String option, Block block) {
        try {
            return Base64.getMimeDecoder().decode(block.body());
        } catch (IllegalArgumentException notBase64) {
            throw problem(option, file, "has a " + block.label() + " block that is not base64: " + notBase64.getMessage());
        }
    }

    private static List<Block> blocks(Path file, String option) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw problem(option, file, "cannot be read: " + e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String body = matcher.group(2);
            // A key encrypted the old OpenSSL way keeps its label and carries "Proc-Type: 4,ENCRYPTED" instead.
            if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                blocks.add(new Block("ENCRYPTED PRIVATE KEY", body));
            } else {
                blocks.add(new Block(matcher.group(1), body));
            }
        }
        if (blocks.isEmpty()) {
            throw problem(option, file, "is not PEM (no -----BEGIN ...----- block)");
        }
        return blocks;
    }

    private static IllegalArgumentException problem(String option, Path file, String what) {
        return new IllegalArgumentException(option + " " + file + " " + what);
    }
}
