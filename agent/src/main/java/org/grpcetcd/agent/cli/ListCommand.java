package org.grpcetcd.agent.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.json.Json;
import org.grpcetcd.agent.naming.KeyLayout;

/** {@code list [SERVICE]}: every registered instance, or one service's, with its lease's time left. */
final class ListCommand {
    private ListCommand() {
    }

    static int run(EtcdClient etcd, KeyLayout layout, List<String> args, boolean json, PrintStream out) {
        String prefix = args.isEmpty() ? layout.root() : layout.prefix(args.get(0));
        List<Instance> instances = Instance.from(PagedRange.read(etcd, prefix).keyValues(), layout);
        Map<Long, Long> ttlByLease = new HashMap<>();
        for (Instance instance : instances) {
            if (instance.leaseId != 0) {
                ttlByLease.computeIfAbsent(instance.leaseId, etcd::leaseTimeToLive);
            }
        }
        if (json) {
            printJson(instances, ttlByLease, out);
        } else {
            printTable(instances, ttlByLease, out);
        }
        return 0;
    }

    private static void printTable(List<Instance> instances, Map<Long, Long> ttlByLease, PrintStream out) {
        String format = "%-30s %-24s %-18s %-8s %s%n";
        out.printf(format, "SERVICE", "ADDRESS", "LEASE", "TTL-LEFT", "METADATA");
        for (Instance instance : instances) {
            out.printf(format, instance.service, instance.address(),
                    instance.leaseId == 0 ? "-" : Long.toHexString(instance.leaseId),
                    instance.leaseId == 0 ? "-" : ttlByLease.get(instance.leaseId) + "s",
                    instance.endpoint.metadata().isEmpty() ? "-" : instance.endpoint.metadata().toString());
        }
        if (instances.isEmpty()) {
            out.println("(no registered instance)");
        }
    }

    private static void printJson(List<Instance> instances, Map<Long, Long> ttlByLease, PrintStream out) {
        StringBuilder json = new StringBuilder("[");
        for (Instance instance : instances) {
            json.append(json.length() == 1 ? "" : ",").append("{\"service\":").append(Json.quote(instance.service))
                    .append(",\"key\":").append(Json.quote(instance.key))
                    .append(",\"address\":").append(Json.quote(instance.address()))
                    .append(",\"lease\":").append(instance.leaseId == 0 ? "null"
                            : Json.quote(Long.toHexString(instance.leaseId)))
                    .append(",\"ttlLeft\":").append(instance.leaseId == 0 ? "null" : ttlByLease.get(instance.leaseId))
                    .append(",\"metadata\":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : instance.endpoint.metadata().entrySet()) {
                json.append(first ? "" : ",").append(Json.quote(entry.getKey())).append(':')
                        .append(Json.quote(entry.getValue()));
                first = false;
            }
            json.append("}}");
        }
        out.println(json.append(']'));
    }
}
