package org.grpcetcd.it.support.faults;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.FreePorts;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;

/**
 * Real etcd members forming one cluster, each on its own loopback address (127.0.0.1, 127.0.0.2, ...) with its own
 * client and peer ports (heartbeat 100 ms, election 1000 ms). One member makes a single etcd that, unlike
 * {@link org.grpcetcd.it.support.EtcdServer}, can lose its data and start again empty on the same ports.
 */
public final class EtcdCluster implements AutoCloseable {
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\":(\\d+)");
    private static final Pattern LEADER = Pattern.compile("\"leader\":(\\d+)");
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final Pattern LEASE_COUNT = Pattern.compile("found (\\d+) leases");

    private final List<EtcdMember> members;

    private EtcdCluster(List<EtcdMember> members) {
        this.members = List.copyOf(members);
        String initialCluster = members.stream().map(member -> member.name() + "=" + member.peerUrl())
                .collect(Collectors.joining(","));
        String token = UniqueNames.service("it-faults");
        members.forEach(member -> member.joinCluster(initialCluster, token));
    }

    /** A single etcd on 127.0.0.1, started and healthy; its log is {@code etcd.log} of {@code logs}. */
    public static EtcdCluster single(TestLogs logs) {
        return started(logs, "127.0.0.1");
    }

    /** Three members on 127.0.0.1, 127.0.0.2 and 127.0.0.3, started together and healthy. */
    public static EtcdCluster threeMembers(TestLogs logs) {
        return started(logs, "127.0.0.1", "127.0.0.2", "127.0.0.3");
    }

    /** One member per host, started together; returns once every member is healthy. */
    public static EtcdCluster started(TestLogs logs, String... hosts) {
        List<EtcdMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < hosts.length; i++) {
                String name = "m" + (i + 1);
                int[] ports = freePorts(hosts[i]);
                Path dataDir = Files.createTempDirectory("it-faults-etcd-");
                members.add(new EtcdMember(name, hosts[i], ports[0], ports[1], dataDir,
                        logs.file(hosts.length == 1 ? "etcd.log" : "etcd-" + name + ".log")));
            }
        } catch (IOException e) {
            members.forEach(EtcdMember::destroy);
            throw new UncheckedIOException(e);
        }
        EtcdCluster cluster = new EtcdCluster(members);
        try {
            members.forEach(EtcdMember::launch);
            members.forEach(member -> member.awaitHealthy(EtcdMember.HEALTHY_WITHIN));
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public List<EtcdMember> members() {
        return members;
    }

    public EtcdMember member(int index) {
        return members.get(index);
    }

    /** The only member of a single etcd. */
    public EtcdMember only() {
        if (members.size() != 1) {
            throw new IllegalStateException("the cluster has " + members.size() + " members");
        }
        return members.get(0);
    }

    /** Every member's client URL, comma-separated (for the agent and for etcdctl). */
    public String endpoints() {
        return members.stream().map(EtcdMember::endpoint).collect(Collectors.joining(","));
    }

    /** The client URLs of the members running now, comma-separated. */
    public String runningEndpoints() {
        return members.stream().filter(EtcdMember::isRunning).map(EtcdMember::endpoint)
                .collect(Collectors.joining(","));
    }

    /** The member that is leader now, as the running members report it ({@code etcdctl endpoint status}). */
    public Optional<EtcdMember> leaderNow() {
        for (EtcdMember member : members) {
            if (!member.isRunning()) {
                continue;
            }
            Etcdctl.Result status = Etcdctl.run(member.endpoint(), "endpoint", "status", "-w", "json");
            if (!status.ok()) {
                continue;
            }
            Matcher id = MEMBER_ID.matcher(status.out());
            Matcher leader = LEADER.matcher(status.out());
            if (id.find() && leader.find() && !leader.group(1).equals("0") && id.group(1).equals(leader.group(1))) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /** Waits (up to {@code timeout}) until a running member says it is the leader. */
    public EtcdMember awaitLeader(Duration timeout) {
        return Poll.untilPresent(this::leaderNow, timeout, "a leader among " + members);
    }

    /** The current revision of the key space, as {@code member} reports it; fails when it cannot tell. */
    public static long revision(EtcdMember member) {
        Etcdctl.Result status = Etcdctl.run(member.endpoint(), "endpoint", "status", "-w", "json");
        Matcher revision = REVISION.matcher(status.out());
        if (!status.ok() || !revision.find()) {
            return fail("etcdctl endpoint status on " + member + " printed no revision: " + status);
        }
        return Long.parseLong(revision.group(1));
    }

    /** How many leases etcd holds now ({@code etcdctl lease list}); fails when it cannot tell. */
    public static int leaseCount(String endpoints) {
        Etcdctl.Result list = Etcdctl.run(endpoints, "lease", "list");
        Matcher count = LEASE_COUNT.matcher(list.out());
        if (!list.ok() || !count.find()) {
            return fail("etcdctl lease list on " + endpoints + " printed no lease count: " + list);
        }
        return Integer.parseInt(count.group(1));
    }

    /** Kills every member and deletes every data directory. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (EtcdMember member : members) {
            try {
                member.destroy();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** A client and a peer port free on {@code host} (and on 127.0.0.1, where FreePorts looks). */
    private static int[] freePorts(String host) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int[] ports = FreePorts.next(2);
            if (bindable(host, ports[0]) && bindable(host, ports[1])) {
                return ports;
            }
        }
        return fail("no two free ports on " + host);
    }

    private static boolean bindable(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "etcd cluster " + endpoints();
    }
}
