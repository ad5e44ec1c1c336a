package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.compat.AgentLines;
import org.grpcetcd.it.support.compat.CompatFiles;
import org.grpcetcd.it.support.compat.KeyProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ways apps are packed and loaded: a shaded uber-jar and a Spring Boot executable jar started with
 * {@code java -javaagent:... -jar}, gRPC in a child class loader, two servers in one JVM, one server on several
 * ports, servers bound to port 0. In each, servers are registered under their real ports and clients in the
 * same packaging resolve {@code etcd:///}.
 */
class CompatLaunchersTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(10);
    private static final long GONE_WITHIN_MS = 1000;
    private static final Pattern LAUNCH = Pattern.compile("^LAUNCH (\\S+): io\\.grpc\\.Server loaded by (\\S+)$");
    private static final Pattern CHILD_LOADER = Pattern.compile("^CHILD-LOADER .*$");
    private static final Pattern MULTI_READY = Pattern.compile("^READY (\\S+) ports=([0-9,]+)$");

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();
    private static KeyProbe probe;

    @BeforeAll
    static void createProbe() {
        probe = new KeyProbe(fixture.etcd().endpoint());
    }

    @Test
    void shadedUberJarServerIsRegisteredAndItsClientResolvesEtcdTargets() {
        String jar = CompatFiles.uberJar().toString();
        String service = UniqueNames.service("uber");
        AppProcess server = fixture.apps().app("uber-server", "-").executableJar(jar).args("EchoServer", "U")
                .service(service).start();
        AppProcess client = fixture.apps().app("uber-client", "-").executableJar(jar)
                .args("EchoClient", "etcd:///" + service, "20", String.valueOf(Long.MAX_VALUE), "60000").start();

        String loader = launchedWith(server, "EchoServer");
        assertThat(loader).as("class loader of io.grpc in the uber-jar").isEqualTo(
                "jdk.internal.loader.ClassLoaders$AppClassLoader");
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        EtcdEntry entry = fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        assertThat(entry.value()).isEqualTo("{\"Op\":0,\"Addr\":\"" + entry.hostPort() + "\",\"Metadata\":null}");
        assertThat(launchedWith(client, "EchoClient")).isEqualTo(loader);
        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        assertThat(replies).as("replies of the uber-jar client on etcd:///%s", service).containsOnly("U");
        assertClean(server, client);
        System.out.printf("CompatLaunchersTest: uber-jar (io.grpc by %s): %s registered, client got %d replies%n",
                loader, key, replies.size());
    }

    @Test
    void springBootJarServerIsRegisteredAndItsClientResolvesEtcdTargets() {
        String jar = CompatFiles.springBootJar().toString();
        String service = UniqueNames.service("boot");
        AppProcess server = fixture.apps().app("boot-server", "-").executableJar(jar).args("EchoServer", "S")
                .service(service).start();
        AppProcess client = fixture.apps().app("boot-client", "-").executableJar(jar)
                .args("EchoClient", "etcd:///" + service, "20", String.valueOf(Long.MAX_VALUE), "60000").start();

        String loader = launchedWith(server, "EchoServer");
        assertThat(loader).as("class loader of io.grpc in the Spring Boot jar: Spring Boot's launcher loader")
                .startsWith("org.springframework.boot.loader.");
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        EtcdEntry entry = fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        assertThat(entry.value()).isEqualTo("{\"Op\":0,\"Addr\":\"" + entry.hostPort() + "\",\"Metadata\":null}");
        assertThat(launchedWith(client, "EchoClient")).isEqualTo(loader);
        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        assertThat(replies).as("replies of the Spring Boot client on etcd:///%s", service).containsOnly("S");
        assertClean(server, client);
        System.out.printf("CompatLaunchersTest: Spring Boot jar (io.grpc by %s): %s registered, client got %d "
                + "replies%n", loader, key, replies.size());
    }

    /**
     * gRPC only in a child class loader that looks in its own class path first and asks the system class loader
     * for the rest (as a servlet container's web-app loader does): the server on gRPC 1.26.0 (grpc-netty), the
     * client on 1.85.1 (grpc-netty-shaded), neither with any gRPC on the system class path.
     */
    @Test
    void grpcInAChildClassLoaderIsRegisteredAndResolves() {
        String appsJar = CompatFiles.appsJar().toString();
        String service = UniqueNames.service("child");
        AppProcess server = fixture.apps().app("child-server", "org.grpcetcd.it.apps.ChildLoaderApp").classPath(appsJar)
                .args("system", CompatFiles.appClassPath("grpc-1.26.0-netty"), Apps.SERVER_MAIN, "C")
                .service(service).start();
        AppProcess client = fixture.apps().app("child-client", "org.grpcetcd.it.apps.ChildLoaderApp").classPath(appsJar)
                .args("system", CompatFiles.appClassPath("grpc-1.85.1-netty-shaded"), Apps.CLIENT_MAIN,
                        "etcd:///" + service, "20", String.valueOf(Long.MAX_VALUE), "60000")
                .start();

        for (AppProcess app : List.of(server, client)) {
            assertThat(app.awaitLine(CHILD_LOADER, ItEnvironment.JVM_START)).as("where %s's gRPC lives", app.name())
                    .endsWith("loaded by grpc-child, io.grpc.Server by grpc-child, io.grpc on the system class "
                            + "loader: false");
        }
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, REGISTERED_WITHIN);
        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        assertThat(replies).as("replies of the child-loader client on etcd:///%s", service).containsOnly("C");
        assertClean(server, client);
        System.out.printf("CompatLaunchersTest: child class loader: %s registered, client got %d replies%n", key,
                replies.size());
    }

    /** Two servers in one JVM, both bound to port 0: each is registered under its real port and leaves alone. */
    @Test
    void twoServersInOneJvmAreRegisteredAndDeregisteredEachOnItsOwn() {
        String service = UniqueNames.service("two");
        AppProcess app = fixture.apps().app("two-servers", "org.grpcetcd.it.apps.TwoServersApp").args("A", "B")
                .service(service).start();
        int portA = readyPort(app, "A");
        int portB = readyPort(app, "B");
        assertThat(portA).as("A's port, bound as 0").isPositive().isNotEqualTo(portB);
        assertThat(portB).as("B's port, bound as 0").isPositive();
        String keyA = service + "/127.0.0.1:" + portA;
        String keyB = service + "/127.0.0.1:" + portB;
        Map<String, EtcdEntry> entries = awaitKeys(service, 2);
        assertThat(entries.keySet()).as("keys under %s/ (no :0 among them)", service).isEqualTo(Set.of(keyA, keyB));
        assertThat(entries.get(keyA).lease()).as("lease of both keys: one per JVM").isEqualTo(
                entries.get(keyB).lease());

        long stopA = System.nanoTime();
        app.send("stop A");
        long goneA = probe.awaitGoneMillis(keyA, stopA, Duration.ofSeconds(10));
        assertThat(goneA).as("ms from 'stop A' until %s was gone", keyA).isLessThanOrEqualTo(GONE_WITHIN_MS);
        app.awaitLine(Pattern.compile("^STOPPED A$"), Duration.ofSeconds(30));
        assertThat(fixture.etcdctl().entries(service + "/").keySet()).as("keys after A stopped, B still serving")
                .containsExactly(keyB);

        long stopB = System.nanoTime();
        app.send("stop B");
        long goneB = probe.awaitGoneMillis(keyB, stopB, Duration.ofSeconds(10));
        assertThat(goneB).as("ms from 'stop B' until %s was gone", keyB).isLessThanOrEqualTo(GONE_WITHIN_MS);
        app.awaitLine(Pattern.compile("^STOPPED B$"), Duration.ofSeconds(30));
        assertThat(app.errLines()).as("the agent's log").anyMatch(line -> line.endsWith("INFO deregistered " + keyA))
                .anyMatch(line -> line.endsWith("INFO deregistered " + keyB));
        assertClean(app);
        System.out.printf("CompatLaunchersTest: two servers in one JVM on ports %d and %d (bound as 0): A's key "
                + "gone %d ms after 'stop A' while B stayed, B's gone %d ms after 'stop B'%n", portA, portB, goneA,
                goneB);
    }

    /** One server listening on two ports (Netty's addListenAddress, both bound as port 0): a key for each. */
    @Test
    void aServerOnSeveralPortsIsRegisteredUnderEachAndReachedThroughThem() {
        String service = UniqueNames.service("multi");
        AppProcess server = fixture.apps().app("multi-port", "org.grpcetcd.it.apps.MultiPortServerApp").args("M", "2")
                .service(service).start();
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "20", String.valueOf(Long.MAX_VALUE),
                "60000").start();
        Matcher ready = MULTI_READY.matcher(server.awaitLine(MULTI_READY, ItEnvironment.JVM_START));
        assertThat(ready.matches()).isTrue();
        List<Integer> ports = Arrays.stream(ready.group(2).split(",")).map(Integer::valueOf)
                .collect(Collectors.toList());
        assertThat(ports).as("the ports the server listens on").hasSize(2).doesNotHaveDuplicates()
                .allMatch(port -> port > 0);
        Set<String> expected = ports.stream().map(port -> service + "/127.0.0.1:" + port)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, EtcdEntry> entries = awaitKeys(service, 2);
        assertThat(entries.keySet()).as("keys under %s/", service).isEqualTo(expected);
        for (EtcdEntry entry : entries.values()) {
            assertThat(entry.valueBytes()).as("value of %s", entry.key()).isEqualTo(
                    ("{\"Op\":0,\"Addr\":\"" + entry.hostPort() + "\",\"Metadata\":null}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        List<String> replies = EchoOutput.awaitReplies(client, 5, ItEnvironment.JVM_START);
        assertThat(replies).containsOnly("M");

        long stop = System.nanoTime();
        server.send("stop");
        List<Long> gone = new ArrayList<>();
        for (String key : expected) {
            gone.add(probe.awaitGoneMillis(key, stop, Duration.ofSeconds(10)));
        }
        assertThat(gone).as("ms from stop until each key was gone").allMatch(ms -> ms <= GONE_WITHIN_MS);
        assertClean(server);
        System.out.printf("CompatLaunchersTest: one server on ports %s: registered %s, gone %s ms after stop%n",
                ports, expected, gone);
    }

    private static String launchedWith(AppProcess app, String appName) {
        Matcher launch = LAUNCH.matcher(app.awaitLine(LAUNCH, ItEnvironment.JVM_START));
        assertThat(launch.matches()).isTrue();
        assertThat(launch.group(1)).isEqualTo(appName);
        return launch.group(2);
    }

    private static int readyPort(AppProcess app, String name) {
        Pattern ready = Pattern.compile("^READY " + name + " port=(\\d+)$");
        Matcher matcher = ready.matcher(app.awaitLine(ready, ItEnvironment.JVM_START));
        assertThat(matcher.matches()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static Map<String, EtcdEntry> awaitKeys(String service, int count) {
        return Poll.untilPresent(() -> Optional.of(fixture.etcdctl().entries(service + "/"))
                .filter(entries -> entries.size() >= count), REGISTERED_WITHIN, count + " keys under " + service + "/");
    }

    private static void assertClean(AppProcess... processes) {
        for (AppProcess process : processes) {
            assertThat(AgentLines.warningsAndErrors(process.errLines())).as("the agent's WARN/ERROR lines in %s",
                    process.name()).isEmpty();
        }
    }
}
