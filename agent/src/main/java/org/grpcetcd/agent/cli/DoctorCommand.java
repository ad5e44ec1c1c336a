package org.grpcetcd.agent.cli;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.EtcdRequestException;
import org.grpcetcd.agent.log.AgentLog;

/**
 * {@code doctor}: checks what the agent would need, with these settings, and says what to do about each
 * problem. Exit code 0 when all is well, 1 otherwise. It writes nothing under the service prefix, so it is safe
 * against a production etcd; its one write is a lease that it revokes at once.
 */
final class DoctorCommand {
    private final PrintStream out;
    private int problems;

    private DoctorCommand(PrintStream out) {
        this.out = out;
    }

    static int run(Settings settings, Executor executor, PrintStream out) {
        DoctorCommand doctor = new DoctorCommand(out);
        doctor.check(settings, executor);
        out.println(doctor.problems == 0 ? "all checks passed" : doctor.problems + " problem(s) found");
        return doctor.problems == 0 ? 0 : 1;
    }

    private void check(Settings settings, Executor executor) {
        ok("settings: " + settings.summary());

        int answering = 0;
        for (URI endpoint : settings.endpoints()) {
            try {
                String version = new EtcdClient(settings.etcdAccess().withEndpoints(List.of(endpoint)), executor)
                        .serverVersion();
                ok("etcd " + endpoint + " answers, version " + version);
                answering++;
            } catch (EtcdRequestException e) {
                problem("etcd " + endpoint + " answers but refuses: " + e.getMessage(), e.getMessage()
                        .startsWith("authenticating") ? "check grpc.etcd.user and grpc.etcd.password (or password-file)"
                        : "check the agent's etcd user and its roles");
            } catch (RuntimeException e) {
                problem("etcd " + endpoint + " does not answer: " + AgentLog.describe(e),
                        "check the address, that etcd runs there and that this host may reach it");
            }
        }
        if (answering == 0) {
            return;
        }
        EtcdClient etcd = new EtcdClient(settings.etcdAccess(), executor);
        String service = settings.service().orElse(null);
        String prefix = service == null ? null : settings.keyLayout().prefix(service);
        if (service == null) {
            ok("grpc.etcd.service is not set: servers will not be registered; discovery still works");
        } else {
            try {
                int instances = etcd.rangePrefix(prefix).keyValues().size();
                ok("may read " + prefix + " (" + instances + " key(s) there now)");
            } catch (EtcdRequestException e) {
                problem("may not read " + prefix + ": " + e.getMessage(),
                        "grant this user read access to the prefix " + prefix);
            }
            try {
                etcd.checkMayPut(prefix);
                ok("may write " + prefix + " (checked by a transaction that writes nothing)");
            } catch (EtcdRequestException e) {
                problem("may not write " + prefix + ": " + e.getMessage(),
                        "grant this user readwrite on the prefix " + prefix + " (etcdctl role grant-permission"
                                + " <role> --prefix=true readwrite " + prefix + ")");
            }
        }
        checkLease(etcd, settings.ttlSeconds());
    }

    private void checkLease(EtcdClient etcd, int ttl) {
        long lease;
        try {
            lease = etcd.grantLease(ttl);
        } catch (RuntimeException e) {
            problem("may not grant a lease: " + AgentLog.describe(e), "registration needs lease grant and keep-alive");
            return;
        }
        try {
            long left = etcd.leaseTimeToLive(lease);
            if (left < ttl - 2 || left > ttl) {
                problem("a lease of " + ttl + "s shows " + left + "s left right after its grant",
                        "etcd may raise short TTLs (its minimum is 1.5 election timeouts); use a longer grpc.etcd.ttl");
            } else {
                ok("a lease of " + ttl + "s can be granted (" + left + "s left after the grant)");
            }
        } finally {
            etcd.revokeLease(lease, Duration.ofSeconds(5));
        }
    }

    private void ok(String message) {
        out.println("OK      " + message);
    }

    private void problem(String message, String whatToDo) {
        problems++;
        out.println("PROBLEM " + message);
        out.println("        what to do: " + whatToDo);
    }
}
