package org.grpcetcd.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What most test classes run against: one etcd for the whole class (its tests keep apart by unique service
 * names, and etcd starts once instead of once a test), fresh app JVMs for each test, logged under the test's
 * name, and all of them stopped: the apps after each test, etcd after the class.
 *
 * <p>Register it on a static field, so that etcd lives as long as the class: {@code @RegisterExtension static
 * final EtcdAndApps fixture = new EtcdAndApps();}
 */
public final class EtcdAndApps implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private EtcdServer etcd;
    private EtcdCtl etcdctl;
    private Apps apps;

    @Override
    public void beforeAll(ExtensionContext context) {
        etcd = EtcdServer.started(TestLogs.of(context.getRequiredTestClass()).file("etcd.log"));
        etcdctl = new EtcdCtl(etcd);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (etcd != null) {
            etcd.close();
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

    /** The class's etcd. */
    public EtcdServer etcd() {
        return etcd;
    }

    /** etcdctl on the class's etcd. */
    public EtcdCtl etcdctl() {
        return etcdctl;
    }

    /** The app JVMs of the running test, on the class's etcd. */
    public Apps apps() {
        return apps;
    }
}
