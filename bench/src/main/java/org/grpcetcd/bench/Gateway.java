package org.grpcetcd.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The bench's own access to etcd: its v3 JSON gateway on loopback, with the JDK HttpClient. */
final class Gateway {
    private static final Pattern COUNT = Pattern.compile("\"count\":\"(\\d+)\"");
    private static final Pattern EVENT = Pattern.compile("\\{(\"type\":\"DELETE\",)?\"kv\":\\{\"key\":\"([^\"]+)\"");

    private final URI base;
    private final HttpClient http;

    Gateway(String endpoint) {
        this.base = URI.create(endpoint);
        if (!"127.0.0.1".equals(base.getHost())) {
            throw new IllegalArgumentException("the bench talks to etcd on 127.0.0.1 only, not " + endpoint);
        }
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    static String value(String address) {
        return "{\"Op\":0,\"Addr\":\"" + address + "\",\"Metadata\":null}";
    }

    void put(String key, String value) {
        post("/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}");
    }

    void delete(String key) {
        post("/v3/kv/deleterange", "{\"key\":\"" + b64(key) + "\"}");
    }

    void deletePrefix(String prefix) {
        post("/v3/kv/deleterange", "{\"key\":\"" + b64(prefix) + "\",\"range_end\":\"" + rangeEnd(prefix) + "\"}");
    }

    long count(String prefix) {
        String answer = post("/v3/kv/range", "{\"key\":\"" + b64(prefix) + "\",\"range_end\":\"" + rangeEnd(prefix)
                + "\",\"count_only\":true}");
        Matcher m = COUNT.matcher(answer);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private String post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BenchException("etcd answered " + response.statusCode() + " to " + path + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new BenchException("etcd request " + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String rangeEnd(String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 1]++;
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A watch of every key under {@code prefix}; each event is kept with the moment the bench read it. */
    Watch watch(String prefix) {
        Watch watch = new Watch();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v3/watch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"create_request\":{\"key\":\"" + b64(prefix)
                        + "\",\"range_end\":\"" + rangeEnd(prefix) + "\"}}"))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(watch));
        watch.awaitCreated();
        return watch;
    }

    static final class Event {
        final boolean delete;
        final String key;
        final Instant at;

        Event(boolean delete, String key, Instant at) {
            this.delete = delete;
            this.key = key;
            this.at = at;
        }
    }

    static final class Watch implements Flow.Subscriber<String> {
        private final List<Event> events = new ArrayList<>();
        private boolean created;
        private Flow.Subscription subscription;

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            Instant at = Instant.now();
            synchronized (this) {
                if (line.contains("\"created\":true")) {
                    created = true;
                }
                Matcher m = EVENT.matcher(line);
                while (m.find()) {
                    String key = new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
                    events.add(new Event(m.group(1) != null, key, at));
                }
                notifyAll();
            }
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }

        synchronized void awaitCreated() {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!created) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new BenchException("the bench's own etcd watch was not created within 5 s");
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** How many events have been seen so far: pass it to {@link #await} to wait only for later ones. */
        synchronized int size() {
            return events.size();
        }

        /** The first put (or delete) of {@code key} at event index {@code from} or later, waiting at most {@code timeoutMs}. */
        synchronized Event await(String key, boolean delete, int from, long timeoutMs) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                for (Event event : events.subList(from, events.size())) {
                    if (event.key.equals(key) && event.delete == delete) {
                        return event;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new BenchException((delete ? "deletion" : "put") + " of " + key + " not seen in etcd within "
                            + timeoutMs + " ms");
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BenchException("interrupted");
                }
            }
        }

        synchronized void cancel() {
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }
}
