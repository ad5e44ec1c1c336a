package org.grpcetcd.it.support.faults;

import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.TestLogs;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the fault tests run against: one single-member etcd cluster for the whole class, which a test may stop,
 * kill or restart (on the same ports, with or without its data), and fresh app JVMs for each test, logged under
 * the test's name; the apps are stopped after each test, etcd after the class.
 *
 * <p>Register it on a static field, so that etcd lives as long as the class: {@code @RegisterExtension static
 * final EtcdMemberAndApps fixture = new EtcdMemberAndApps();}
 */
public final class EtcdMemberAndApps
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private EtcdCluster cluster;
    private EtcdMember etcd;
    private EtcdCtl etcdctl;
    private Apps apps;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = EtcdCluster.single(TestLogs.of(context.getRequiredTestClass()));
        etcd = cluster.only();
        etcdctl = new EtcdCtl(etcd.endpoint());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        apps = new Apps(TestLogs.of(context), etcd.endpoint());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        apps.close();
    }

    /** The only member of the class's cluster. */
    public EtcdMember etcd() {
        return etcd;
    }

    /** etcdctl on the member's endpoint. */
    public EtcdCtl etcdctl() {
        return etcdctl;
    }

    /** The app JVMs of the running test, on the class's etcd. */
    public Apps apps() {
        return apps;
    }
}
