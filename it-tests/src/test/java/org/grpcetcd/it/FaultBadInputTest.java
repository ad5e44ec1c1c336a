package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input never takes an app down: values under a watched prefix that are no address are skipped with one WARN
 * line per key (however often they are put) while calls go on, and bad settings are reported in a line naming
 * the setting while the app starts anyway.
 */
class FaultBadInputTest {
    private static final Pattern SKIPPING = Pattern.compile(" WARN skipping etcd key (\\S+): ");
    private static final Pattern READY = Pattern.compile("^READY ");

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.singleMember();

    @Test
    void badValuesUnderAWatchedPrefixAreSkippedWithOneWarningPerKeyWhileCallsGoOn() {
        String service = UniqueNames.service("badvalues");
        String prefix = service + "/";
        AppProcess good = fixture.apps().server("G").service(service).start();
        AppProcess later = fixture.apps().server("Q").withoutAgent().start(); // put by hand at the end, as a marker
        fixture.etcdctl().awaitEntry(prefix + "127.0.0.1:" + EchoOutput.awaitReady(good), Duration.ofSeconds(15));
        int laterPort = EchoOutput.awaitReady(later);

        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(prefix + "garbage", "not an address at all");
        bad.put(prefix + "no-addr", "{\"Op\":0,\"Metadata\":null}");
        bad.put(prefix + "bad-port", "127.0.0.1:99999");
        bad.put(prefix + "huge", "x".repeat(100 * 1024));
        // two of them before the client starts (read by its first get), two while it watches
        fixture.etcdctl().put(prefix + "garbage", bad.get(prefix + "garbage"));
        fixture.etcdctl().put(prefix + "no-addr", bad.get(prefix + "no-addr"));

        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "20").start();
        EchoOutput.awaitReplies(client, 10, ItEnvironment.JVM_START);
        fixture.etcdctl().put(prefix + "bad-port", bad.get(prefix + "bad-port"));
        fixture.etcdctl().put(prefix + "huge", bad.get(prefix + "huge"));
        Poll.until(() -> skipped(client).size() == bad.size(), Duration.ofSeconds(10),
                () -> "a 'skipping etcd key' WARN line for each of " + bad.keySet() + "; so far: " + skipped(client));
        // the same bad keys again, through the watch, then a good key as a marker that every change was read
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            fixture.etcdctl().put(entry.getKey(), entry.getValue());
        }
        fixture.etcdctl().put(prefix + "garbage", "still: not an address");
        fixture.etcdctl().put(prefix + "by-hand", "127.0.0.1:" + laterPort);
        Poll.until(() -> EchoOutput.replies(client).contains("Q"), Duration.ofSeconds(15), Duration.ofMillis(50),
                () -> "the client reaching Q, put under " + prefix + " after the bad keys; stderr: "
                        + client.errLines().stream().map(FaultBadInputTest::shorten).collect(Collectors.toList()));
        EchoOutput.awaitReplies(client, EchoOutput.replies(client).size() + 20, Duration.ofSeconds(15));

        Map<String, Long> warningsPerKey = skipped(client);
        List<String> errors = EchoOutput.errors(client);
        int longestLine = client.errLines().stream().mapToInt(String::length).max().orElse(0);
        System.out.printf("FaultBadInputTest: 'skipping etcd key' WARN lines per key: %s (each bad key put 2 or 3 "
                + "times); %d client ERROR lines in %d lines; replies from %s; longest stderr line %d chars%n",
                warningsPerKey, errors.size(), client.lines().size(),
                EchoOutput.replies(client).stream().distinct().collect(Collectors.toList()), longestLine);
        client.errLines().stream().filter(line -> SKIPPING.matcher(line).find())
                .forEach(line -> System.out.println("  " + shorten(line)));
        assertThat(errors).as("ERROR lines of the client").isEmpty();
        assertThat(warningsPerKey).as("'skipping etcd key' WARN lines per key")
                .isEqualTo(bad.keySet().stream().collect(Collectors.toMap(key -> key, key -> 1L)));
        assertThat(EchoOutput.replies(client)).as("replies").containsOnly("G", "Q");
    }

    @Test
    void badSettingsAreReportedNamingTheSettingAndTheAppStillStarts() {
        String service = UniqueNames.service("badsettings");
        String missingCa = TestLogs.of(FaultBadInputTest.class).file("no-such-dir").resolve("missing-ca.pem")
                .toString();
        Map<String, AppProcess> servers = new LinkedHashMap<>();
        servers.put("grpc.etcd.ttl=0", fixture.apps().server("ttl0").service(service).ttl(0).start());
        servers.put("grpc.etcd.ttl=-5", fixture.apps().server("ttlneg").service(service).ttl(-5).start());
        servers.put("grpc.etcd.endpoints=::not a url",
                fixture.apps().server("endpoints").service(service).endpoints("::not a url").start());
        servers.put("grpc.etcd.load-balancing=random",
                fixture.apps().server("lb").service(service).setting("load-balancing", "random").start());
        servers.put("grpc.etcd.tls.ca-file=" + missingCa,
                fixture.apps().server("cafile").service(service).setting("tls.ca-file", missingCa).start());
        Map<String, String> expectedNames = new LinkedHashMap<>();
        expectedNames.put("grpc.etcd.ttl=0", "grpc.etcd.ttl");
        expectedNames.put("grpc.etcd.ttl=-5", "grpc.etcd.ttl");
        expectedNames.put("grpc.etcd.endpoints=::not a url", "grpc.etcd.endpoints");
        expectedNames.put("grpc.etcd.load-balancing=random", "grpc.etcd.load-balancing");
        expectedNames.put("grpc.etcd.tls.ca-file=" + missingCa, missingCa);

        Map<String, String> reported = new TreeMap<>();
        for (Map.Entry<String, AppProcess> entry : servers.entrySet()) {
            AppProcess server = entry.getValue();
            String name = expectedNames.get(entry.getKey());
            server.awaitLine(READY, ItEnvironment.JVM_START);
            String line = server.awaitErrLine(Pattern.compile(" (ERROR|WARN) .*" + Pattern.quote(name)),
                    Duration.ofSeconds(15));
            reported.put(entry.getKey(), line.substring(line.indexOf(' ', line.indexOf(' ') + 1) + 1));
            assertThat(server.isAlive()).as("%s alive after READY", server).isTrue();
        }
        // a bad TTL falls back to the default of 10 s, and the server is registered with it
        for (String name : List.of("grpc.etcd.ttl=0", "grpc.etcd.ttl=-5", "grpc.etcd.load-balancing=random")) {
            AppProcess server = servers.get(name);
            Matcher ready = EchoOutput.READY.matcher(server.awaitLine(EchoOutput.READY, Duration.ofSeconds(1)));
            assertThat(ready.matches()).isTrue();
            long lease = fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + ready.group(2), Duration.ofSeconds(15))
                    .lease();
            long granted = fixture.etcdctl().leaseTtl(lease).granted();
            assertThat(granted).as("granted TTL of the lease of the server started with %s", name).isEqualTo(10);
        }
        System.out.println("FaultBadInputTest: bad settings, each app printed READY and reported:");
        reported.forEach((setting, line) -> System.out.println("  " + setting + " -> " + line));
        assertThat(reported.get("grpc.etcd.ttl=0")).startsWith("ERROR").contains("'0'");
        assertThat(reported.get("grpc.etcd.ttl=-5")).startsWith("ERROR").contains("'-5'");
        assertThat(reported.get("grpc.etcd.endpoints=::not a url")).startsWith("ERROR").contains("::not a url");
        assertThat(reported.get("grpc.etcd.load-balancing=random")).startsWith("ERROR").contains("'random'");
        assertThat(reported.get("grpc.etcd.tls.ca-file=" + missingCa)).contains("grpc.etcd.tls.ca-file");
    }

    /** How many 'skipping etcd key' WARN lines the client printed, per key. */
    private static Map<String, Long> skipped(AppProcess client) {
        return client.errLines().stream().map(SKIPPING::matcher).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.groupingBy(key -> key, TreeMap::new, Collectors.counting()));
    }

    private static String shorten(String line) {
        return line.length() <= 300 ? line : line.substring(0, 300) + "... (" + line.length() + " chars)";
    }
}
