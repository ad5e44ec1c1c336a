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

    private final List<URI> endpoints;
    private final Executor executor;
    private volatile HttpClient http;
    private volatile int preferred;

    EtcdGateway(List<URI> endpoints, Executor executor) {
        this.endpoints = List.copyOf(endpoints);
        this.executor = executor;
    }

    /**
     * The HTTP client, built on first use: building one takes about 200 ms (TLS defaults load even for plain
     * HTTP), which must be paid on an agent thread, never on the app's.
     */
    HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder()
                            // etcd serves the gateway over HTTP/1.1 only; an HTTP/2 upgrade would reach its gRPC side
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(2))
                            .executor(executor)
                            .build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** Sends one request and returns etcd's answer; tries each endpoint once before giving up. */
    Map<String, Object> call(String path, String body, Duration timeout) {
        int start = preferred;
        Exception last = null;
        for (int attempt = 0; attempt < endpoints.size(); attempt++) {
            int index = (start + attempt) % endpoints.size();
            URI endpoint = endpoints.get(index);
            try {
                HttpResponse<String> response = http().send(request(endpoint, path, body, timeout),
                        HttpResponse.BodyHandlers.ofString());
                Map<String, Object> answer = Json.parseObject(response.body());
                if (response.statusCode() == 200) {
                    preferred = index;
                    return answer;
                }
                int code = (int) JsonFields.longField(answer, "code");
                String message = String.valueOf(answer.getOrDefault("message", answer.get("error")));
                if (code != UNAVAILABLE) {
                    preferred = index;
                    throw new EtcdRequestException(code, message);
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
                + describe(last), last);
    }

    /**
     * Opens a streaming request (a watch) on the preferred endpoint. Each line etcd sends goes to
     * {@code lines}; the future fails if the request cannot be sent.
     */
    CompletableFuture<HttpResponse<Void>> stream(String path, String body, Flow.Subscriber<String> lines) {
        URI endpoint = endpoints.get(preferred);
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http().sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(lines));
    }

    List<URI> endpoints() {
        return endpoints;
    }

    private static HttpRequest request(URI endpoint, String path, String body, Duration timeout) {
        return HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
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
