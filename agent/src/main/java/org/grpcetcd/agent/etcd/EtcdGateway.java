package org.grpcetcd.agent.etcd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import org.grpcetcd.agent.json.Json;

/**
 * Talks to etcd's v3 JSON gateway ({@code POST /v3/...}, served on every client URL) with the JDK's own
 * HttpClient. The agent carries no gRPC, Netty or protobuf of its own, so nothing in it can clash with the
 * app's, and its first request costs milliseconds of class loading, not seconds.
 *
 * <p>Requests go to the endpoint that answered last; when it does not answer, the next one is tried, in turn.
 */
final class EtcdGateway {
    private static final int UNAVAILABLE = 14;
    private static final int UNAUTHENTICATED = 16;
    private static final String AUTHENTICATE = "/v3/auth/authenticate";

    private final EtcdAccess access;
    private final List<URI> endpoints;
    private final Executor executor;
    private volatile HttpClient http;
    private volatile int preferred;
    private volatile String token; // etcd's auth token, when a user is set; never logged

    EtcdGateway(EtcdAccess access, Executor executor) {
        this.access = access;
        this.endpoints = access.endpoints();
        this.executor = executor;
    }

    /**
     * The HTTP client, built on first use: building one takes 150-200 ms of class loading, which must be paid on
     * an agent thread, never on the app's.
     */
    HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder()
                            // etcd serves the gateway over HTTP/1.1 only; an HTTP/2 upgrade would reach its gRPC side
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(2))
                            .executor(executor);
                    if (endpoints.stream().anyMatch(endpoint -> endpoint.getScheme().equals("https"))) {
                        SSLContext tls = TlsContexts.create(access.tls()); // throws, uncached, while files are wrong
                        if (tls != null) {
                            builder.sslContext(tls);
                        }
                    } else {
                        builder.sslContext(TlsContexts.plainHttpOnly());
                    }
                    client = builder.build();
                    http = client;
                }
            }
        }
        return client;
    }

    /**
     * Sends one request and returns etcd's answer; tries each endpoint once before giving up. With a user set,
     * authenticates first, and once more when etcd says the token expired.
     */
    Map<String, Object> call(String path, String body, Duration timeout) {
        try {
            return callOnce(path, body, timeout, currentToken());
        } catch (EtcdRequestException e) {
            if (e.code() != UNAUTHENTICATED || access.user().isEmpty()) {
                throw e;
            }
            token = null; // expired (etcd's --auth-token-ttl) or etcd restarted: get a new one
            return callOnce(path, body, timeout, currentToken());
        }
    }

    private String currentToken() {
        if (access.user().isEmpty()) {
            return null;
        }
        String current = token;
        if (current == null) {
            synchronized (this) {
                current = token;
                if (current == null) {
                    Map<String, Object> answer = callOnce(AUTHENTICATE, "{\"name\":" + Json.quote(access.user().get())
                            + ",\"password\":" + Json.quote(access.password()) + "}", Duration.ofSeconds(5), null);
                    current = String.valueOf(answer.get("token"));
                    token = current;
                }
            }
        }
        return current;
    }

    private Map<String, Object> callOnce(String path, String body, Duration timeout, String authToken) {
        int start = preferred;
        Exception last = null;
        for (int attempt = 0; attempt < endpoints.size(); attempt++) {
            int index = (start + attempt) % endpoints.size();
            URI endpoint = endpoints.get(index);
            try {
                HttpResponse<String> response = http().send(request(endpoint, path, body, timeout, authToken),
                        HttpResponse.BodyHandlers.ofString());
                Map<String, Object> answer = answerOf(response);
                if (response.statusCode() == 200) {
                    preferred = index;
                    return answer;
                }
                int code = (int) JsonFields.longField(answer, "code");
                String message = String.valueOf(answer.getOrDefault("message", answer.get("error")));
                if (code != UNAVAILABLE) {
                    preferred = index;
                    throw new EtcdRequestException(code, path.equals(AUTHENTICATE)
                            ? "authenticating as user " + access.user().orElse("") + " failed: " + message
                            : message);
                }
                last = new IOException(endpoint + " is unavailable: " + message);
            } catch (IOException | IllegalArgumentException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdUnavailableException("interrupted while calling etcd", e);
            }
        }
        throw new EtcdUnavailableException("no etcd endpoint answered " + path + " (tried " + endpoints + "): "
                + describe(last) + TlsHints.hintFor(last, access.tls()), last);
    }

    /** etcd's JSON answer; anything else (an HTTP error page) becomes a refusal that quotes it. */
    private static Map<String, Object> answerOf(HttpResponse<String> response) {
        try {
            return Json.parseObject(response.body());
        } catch (IllegalArgumentException notJson) {
            String text = response.body().strip();
            if (text.contains("CommonName")) {
                throw new EtcdRequestException(0, "etcd refuses gateway requests whose client certificate has a"
                        + " CommonName while it runs with --client-cert-auth; give grpc.etcd.tls.cert-file a"
                        + " certificate without CN (identity by subjectAltName) and authenticate with"
                        + " grpc.etcd.user and grpc.etcd.password");
            }
            throw new EtcdRequestException(0, "etcd answered HTTP " + response.statusCode() + ": "
                    + text.substring(0, Math.min(200, text.length())));
        }
    }

    /**
     * Opens a streaming request (a watch) on the preferred endpoint. Each line etcd sends goes to
     * {@code lines}; the future fails if the request cannot be sent.
     */
    CompletableFuture<HttpResponse<Void>> stream(String path, String body, Flow.Subscriber<String> lines) {
        URI endpoint = endpoints.get(preferred);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        String authToken = currentToken();
        if (authToken != null) {
            request.header("Authorization", authToken);
        }
        return http().sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(lines));
    }

    List<URI> endpoints() {
        return endpoints;
    }

    private static HttpRequest request(URI endpoint, String path, String body, Duration timeout, String authToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authToken != null) {
            request.header("Authorization", authToken);
        }
        return request.build();
    }

    String user() {
        return access.user().orElse(null);
    }

    private static String describe(Exception failure) {
        if (failure == null) {
            return "no endpoint";
        }
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return message == null ? type : type + ": " + message;
    }
}
