package org.grpcetcd.it.support.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.Poll;

/**
 * Asks etcd whether a key exists through its v3 JSON gateway ({@code POST /v3/kv/range} with
 * {@code count_only}): a few milliseconds per look, where launching etcdctl takes tens to hundreds on a loaded
 * machine. Used where a test measures how soon a key goes away; everything else reads etcd through etcdctl.
 */
public final class KeyProbe {
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*\"?(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI range;

    public KeyProbe(String etcdEndpoint) {
        this.range = URI.create(etcdEndpoint + "/v3/kv/range");
    }

    public boolean exists(String key) {
        String body = "{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
                + "\",\"count_only\":true}";
        HttpRequest request = HttpRequest.newBuilder(range).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("etcd answered " + response.statusCode() + ": " + response.body());
            }
            java.util.regex.Matcher count = COUNT.matcher(response.body());
            return count.find() && Long.parseLong(count.group(1)) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("could not ask " + range + " for " + key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls (every 10 ms) until {@code key} is gone and returns the milliseconds from {@code sinceNanos} to the
     * end of the look that found it gone (an upper bound); fails when it is still there after {@code timeout}.
     */
    public long awaitGoneMillis(String key, long sinceNanos, Duration timeout) {
        Poll.until(() -> !exists(key), timeout, Duration.ofMillis(10),
                () -> "etcd key " + key + " to be gone within " + timeout.toMillis() + " ms");
        return Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis();
    }
}
