package org.grpcetcd.it.apps;

import java.util.logging.LogManager;

/**
 * An app's own {@link LogManager}, as JBoss LogManager or similar would be: selected through the system property
 * {@code java.util.logging.manager}, which java.util.logging reads once, when it is first used.
 */
public final class OnCallLogManager extends LogManager {
    public OnCallLogManager() {
        super();
        System.out.println("ONCALL-LOGMANAGER-CREATED on thread " + Thread.currentThread().getName());
        System.out.flush();
    }
}
