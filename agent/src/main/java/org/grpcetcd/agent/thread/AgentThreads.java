package org.grpcetcd.agent.thread;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's threads, all daemons so they never hold the JVM open: one scheduler that owns registration and
 * discovery state, and a small pool on which the etcd client completes its calls. Created on first use, so an
 * app that never starts a server nor dials etcd:/// gets no thread at all. Their context class loader is the
 * agent's own, where the libraries it carries look up their services.
 */
public final class AgentThreads {
    private static final int ETCD_THREADS = 2;

    private final ScheduledExecutorService scheduler;
    private final ExecutorService etcd;

    public AgentThreads() {
        ScheduledThreadPoolExecutor single = new ScheduledThreadPoolExecutor(1, daemon("grpc-etcd-agent"));
        single.setRemoveOnCancelPolicy(true);
        this.scheduler = single;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(ETCD_THREADS, ETCD_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("grpc-etcd-agent-etcd"));
        pool.allowCoreThreadTimeOut(true);
        this.etcd = pool;
    }

    /** The single thread that owns the agent's state: tasks on it never run concurrently. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Where the etcd client completes its calls; never blocked by the agent's own work. */
    public ExecutorService etcd() {
        return etcd;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            int n = count.incrementAndGet();
            Thread thread = new Thread(runnable, n == 1 ? name : name + "-" + n);
            thread.setDaemon(true);
            thread.setContextClassLoader(AgentThreads.class.getClassLoader());
            return thread;
        };
    }
}
