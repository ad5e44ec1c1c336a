package org.grpcetcd.it.support.secure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Talks to etcd's JSON gateway directly, with the test's own TLS set-up: used to show what etcd itself does with
 * auth tokens (for instance that an idle simple token stops working after {@code --auth-token-ttl}).
 */
public final class GatewayProbe {
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private final String endpoint;
    private final HttpClient http;

    public GatewayProbe(String endpoint, Path caFile, Pki.CertPair client) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).sslContext(sslContext(caFile, client)).build();
    }

    /** {@code POST /v3/auth/authenticate}; returns the token. */
    public String authenticate(String user, String password) {
        Answer answer = post("/v3/auth/authenticate", "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}",
                null);
        Matcher token = TOKEN.matcher(answer.body);
        if (answer.status != 200 || !token.find()) {
            throw new IllegalStateException("authenticating as " + user + " failed: HTTP " + answer.status);
        }
        return token.group(1);
    }

    /** A range request for {@code key} with the token given. */
    public Answer range(String key, String token) {
        return post("/v3/kv/range", "{\"key\":\"" + Base64.getEncoder().encodeToString(
                key.getBytes(StandardCharsets.UTF_8)) + "\"}", token);
    }

    private Answer post(String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext sslContext(Path caFile, Pki.CertPair client) {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", x509.generateCertificate(new ByteArrayInputStream(
                    Files.readAllBytes(caFile))));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManagerFactory keys = null;
            if (client != null) {
                String pem = new String(Files.readAllBytes(client.key()), StandardCharsets.US_ASCII);
                String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
                        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
                Certificate cert = x509.generateCertificate(new ByteArrayInputStream(
                        Files.readAllBytes(client.cert())));
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HTTP status and body of one gateway answer. */
    public static final class Answer {
        public final int status;
        public final String body;

        Answer(int status, String body) {
            this.status = status;
            this.body = body;
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }
}
