package org.grpcetcd.agent.etcd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM certificates and private keys with the JDK alone. Error messages never quote key material. */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");
    // DER prefix of a PKCS#8 PrivateKeyInfo for rsaEncryption, before the PKCS#1 key's OCTET STRING
    private static final byte[] RSA_ALGORITHM_ID = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    static List<Certificate> certificates(Path file, String setting) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            List<Certificate> certificates = new ArrayList<>(
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes)));
            if (certificates.isEmpty()) {
                throw new TlsSetupException(setting + ": " + file + " holds no PEM certificate", null);
            }
            return certificates;
        } catch (IOException e) {
            throw new TlsSetupException(setting + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(setting + ": " + file + " is not a PEM certificate file", e);
        }
    }

    static PrivateKey privateKey(Path file, String setting) {
        String pem;
        try {
            pem = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsSetupException(setting + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw new TlsSetupException(setting + ": " + file + " holds no PEM private key", null);
        }
        String type = block.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException(setting + ": " + file + " has a broken PEM block", null);
        }
        switch (type) {
            case "PRIVATE KEY":
                return pkcs8(der, file, setting);
            case "RSA PRIVATE KEY":
                return pkcs8(wrapPkcs1(der), file, setting);
            default:
                throw new TlsSetupException(setting + ": " + file + " holds a '" + type + "' key, which the agent"
                        + " cannot read; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName()
                        + " -out key-pkcs8.pem", null);
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file, String setting) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next
            }
        }
        throw new TlsSetupException(setting + ": " + file + " is no RSA, EC or Ed25519 key the JDK can read", null);
    }

    /** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
        body.writeBytes(RSA_ALGORITHM_ID);
        body.write(0x04);
        writeLength(body, pkcs1.length);
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write((length >> 8) & 0xff);
            out.write(length & 0xff);
        }
    }
}
