package org.grpcetcd.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Real etcd members forming one cluster, each in its own container on its own loopback address (127.0.0.1,
 * 127.0.0.2, ...) with its own ports (heartbeat 100 ms, election 1000 ms).
 */
public final class EtcdCluster implements AutoCloseable {
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\":(\\d+)");
    private static final Pattern LEADER = Pattern.compile("\"leader\":(\\d+)");
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final Pattern LEASE_COUNT = Pattern.compile("found (\\d+) leases");

    private final List<EtcdServer> members;

    private EtcdCluster(List<EtcdServer> members) {
        this.members = List.copyOf(members);
        String initialCluster = members.stream().map(member -> member.name() + "=" + member.peerUrl())
                .collect(Collectors.joining(","));
        String token = UniqueNames.service("it-cluster");
        members.forEach(member -> member.joinCluster(initialCluster, token));
    }

    /** Three members on 127.0.0.1, 127.0.0.2 and 127.0.0.3, started together and healthy. */
    public static EtcdCluster threeMembers(TestLogs logs) {
        return started(logs, "127.0.0.1", "127.0.0.2", "127.0.0.3");
    }

    /** One member per host, started together; returns once every member is healthy. */
    public static EtcdCluster started(TestLogs logs, String... hosts) {
        List<EtcdServer> members = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            String name = "m" + (i + 1);
            members.add(new EtcdServer(name, hosts[i], logs.file("etcd-" + name + ".log"), null, null, null));
        }
        EtcdCluster cluster = new EtcdCluster(members);
        try {
            members.forEach(EtcdServer::launch);
            members.forEach(EtcdServer::awaitHealthy);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public List<EtcdServer> members() {
        return members;
    }

    public EtcdServer member(int index) {
        return members.get(index);
    }

    /** Every member's client URL, comma-separated (for the agent and for etcdctl). */
    public String endpoints() {
        return members.stream().map(EtcdServer::endpoint).collect(Collectors.joining(","));
    }

    /** The members that would answer now (running, not paused). */
    public List<EtcdServer> running() {
        return members.stream().filter(EtcdServer::isRunning).collect(Collectors.toList());
    }

    /** The member that is leader now, as the running members report it ({@code etcdctl endpoint status}). */
    public Optional<EtcdServer> leaderNow() {
        for (EtcdServer member : running()) {
            EtcdCtl.Result status = new EtcdCtl(member.endpoint()).attempt("endpoint", "status", "-w", "json");
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
    public EtcdServer awaitLeader(Duration timeout) {
        return Poll.untilPresent(this::leaderNow, timeout, "a leader among " + members);
    }

    /** The current revision of the key space, as {@code member} reports it; fails when it cannot tell. */
    public static long revision(EtcdServer member) {
        EtcdCtl.Result status = new EtcdCtl(member.endpoint()).attempt("endpoint", "status", "-w", "json");
        Matcher revision = REVISION.matcher(status.out());
        if (!status.ok() || !revision.find()) {
            return fail("etcdctl endpoint status on " + member + " printed no revision: " + status);
        }
        return Long.parseLong(revision.group(1));
    }

    /** How many leases etcd holds now ({@code etcdctl lease list}); fails when it cannot tell. */
    public static int leaseCount(String endpoints) {
        EtcdCtl.Result list = new EtcdCtl(endpoints).attempt("lease", "list");
        Matcher count = LEASE_COUNT.matcher(list.out());
        if (!list.ok() || !count.find()) {
            return fail("etcdctl lease list on " + endpoints + " printed no lease count: " + list);
        }
        return Integer.parseInt(count.group(1));
    }

    /** Removes every member's container. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (EtcdServer member : members) {
            try {
                member.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "etcd cluster " + endpoints();
    }
}
