package org.grpcetcd.agent.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.discovery.EndpointValues;
import org.grpcetcd.agent.etcd.CertificateValidity;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.EtcdFailure;
import org.grpcetcd.agent.etcd.EtcdRequestException;
import org.grpcetcd.agent.etcd.KeyValue;
import org.grpcetcd.agent.etcd.TlsSetupException;

/**
 * {@code doctor}: checks what the agent would need, with these settings, and says what to do about each
 * problem. Exit code 0 when all is well, 1 otherwise. It writes nothing under the service prefix, so it is safe
 * against a production etcd; its one write is a lease that it revokes at once.
 */
final class DoctorCommand {
    private static final String NOT_ETCD_ADVICE = "give grpc.etcd.endpoints etcd's client URL (its"
            + " --advertise-client-urls, port 2379 by default), not its peer port (2380) nor another server";

    private final PrintStream out;
    private int problems;

    private DoctorCommand(PrintStream out) {
        this.out = out;
    }

    static int run(Settings settings, ExecutorService executor, PrintStream out) {
        DoctorCommand doctor = new DoctorCommand(out);
        doctor.check(settings, executor);
        out.println(doctor.problems == 0 ? "all checks passed" : doctor.problems + " problem(s) found");
        return doctor.problems == 0 ? 0 : 1;
    }

    private void check(Settings settings, ExecutorService executor) {
        ok("settings: " + settings.summary());
        settings.tlsFiles().caFile().ifPresent(file -> checkCertificates("grpc.etcd.tls.ca-file", file));
        settings.tlsFiles().certFile().ifPresent(file -> checkCertificates("grpc.etcd.tls.cert-file", file));

        List<URI> answering = new ArrayList<>();
        for (URI endpoint : settings.endpoints()) {
            try (EtcdClient one = new EtcdClient(settings.etcdAccess().withEndpoints(List.of(endpoint)), executor)) {
                String version = one.serverVersion();
                if (isPeerUrl(one, endpoint)) {
                    problem("etcd " + endpoint + ": " + EtcdFailure.NOT_ETCD + " (it is a member's peer URL)",
                            NOT_ETCD_ADVICE);
                    continue;
                }
                ok("etcd " + endpoint + " answers, version " + version);
                answering.add(endpoint);
            } catch (EtcdRequestException e) {
                String why = EtcdFailure.describe(e);
                if (why.startsWith(EtcdFailure.NOT_ETCD)) {
                    problem("etcd " + endpoint + ": " + why, NOT_ETCD_ADVICE);
                } else {
                    problem("etcd " + endpoint + " answers but refuses: " + why, why.startsWith("authenticating")
                            ? "check grpc.etcd.user and grpc.etcd.password (or password-file)"
                            : "check the agent's etcd user and its roles");
                }
            } catch (RuntimeException e) {
                String why = EtcdFailure.describe(e);
                problem("etcd " + endpoint + (why.startsWith(EtcdFailure.NOT_ETCD) ? ": " : " does not answer: ") + why,
                        why.startsWith(EtcdFailure.NOT_ETCD) ? NOT_ETCD_ADVICE
                                : "check the address, that etcd runs there and that this host may reach it");
            }
        }
        if (answering.isEmpty()) {
            return;
        }
        // the rest on the endpoints that answered: one that is no etcd would fail every request sent to it first
        try (EtcdClient etcd = new EtcdClient(settings.etcdAccess().withEndpoints(answering), executor)) {
            checkAccess(settings, etcd);
        }
    }

    /** Whether {@code endpoint} is a member's peer URL; when the member list cannot be read, it is taken as none. */
    private static boolean isPeerUrl(EtcdClient etcd, URI endpoint) {
        try {
            return etcd.memberPeerUrls().stream().anyMatch(peer -> peer.getPort() == endpoint.getPort()
                    && String.valueOf(peer.getHost()).equalsIgnoreCase(endpoint.getHost()));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * The end of validity (notAfter) of every certificate in a TLS file. An expired one is a problem, and so is a
     * client certificate that expires within the week the agent warns of.
     */
    private void checkCertificates(String setting, Path file) {
        List<CertificateValidity> certificates;
        try {
            certificates = CertificateValidity.read(file, setting);
        } catch (TlsSetupException e) {
            problem(e.getMessage(), "give " + setting + " a readable PEM file");
            return;
        }
        Instant now = Instant.now();
        for (CertificateValidity certificate : certificates) {
            String what = setting + "=" + file + ": " + certificate.subject() + " valid until "
                    + certificate.notAfter();
            if (!now.isBefore(certificate.notAfter())) {
                problem(what + ", expired", "write a renewed certificate into " + file
                        + "; running agents pick it up without a restart");
            } else if (setting.endsWith("cert-file")
                    && now.plus(CertificateValidity.SOON).isAfter(certificate.notAfter())) {
                problem(what + ", expires within " + CertificateValidity.SOON.toDays() + " days",
                        "write a renewed certificate and its key into " + file + " and the key file; running agents"
                                + " pick them up without a restart");
            } else {
                ok(what);
            }
        }
    }

    private void checkAccess(Settings settings, EtcdClient etcd) {
        String service = settings.service().orElse(null);
        String prefix = service == null ? null : settings.keyLayout().prefix(service);
        if (service == null) {
            ok("grpc.etcd.service is not set: servers will not be registered; discovery still works");
        } else {
            try {
                checkValues(prefix, PagedRange.read(etcd, prefix).keyValues());
            } catch (EtcdRequestException e) {
                problem("may not read " + prefix + ": " + EtcdFailure.describe(e),
                        "grant this user read access to the prefix " + prefix);
            }
            try {
                etcd.checkMayPut(prefix);
                ok("may write " + prefix + " (checked by a transaction that writes nothing)");
            } catch (EtcdRequestException e) {
                problem("may not write " + prefix + ": " + EtcdFailure.describe(e),
                        "grant this user readwrite on the prefix " + prefix + " (etcdctl role grant-permission"
                                + " <role> --prefix=true readwrite " + prefix + ")");
            }
        }
        checkLease(etcd, settings.ttlSeconds());
    }

    /**
     * Counts the keys under the prefix as {@code list} does (the ones that hold an endpoint), and flags each value
     * that is none: resolvers skip it and {@code list} does not show it.
     */
    private void checkValues(String prefix, List<KeyValue> keyValues) {
        int endpoints = 0;
        for (KeyValue kv : keyValues) {
            try {
                EndpointValues.parse(kv.value());
                endpoints++;
            } catch (IllegalArgumentException notAnEndpoint) {
                problem(kv.key() + " holds no endpoint (" + notAnEndpoint.getMessage() + ")",
                        "fix its value (expected {\"Addr\":\"host:port\"} or host:port) or move it off " + prefix
                                + "; resolvers skip it and list does not show it");
            }
        }
        ok("may read " + prefix + " (" + keyValues.size() + " key(s) there now" + (endpoints == keyValues.size()
                ? ")" : "; list shows the " + endpoints + " that hold an endpoint)"));
    }

    private void checkLease(EtcdClient etcd, int ttl) {
        long lease;
        try {
            lease = etcd.grantLease(ttl);
        } catch (RuntimeException e) {
            problem("may not grant a lease: " + EtcdFailure.describe(e), "registration needs lease grant and keep-alive");
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
