package org.grpcetcd.it.apps;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an app whose gRPC lives in a child class loader, as servlet containers and plugin hosts do: a
 * {@link URLClassLoader} over the class path given, which must hold the apps and gRPC. Prints
 * {@code CHILD-LOADER <app> loaded by <loader>, io.grpc.Server by <loader>, io.grpc on the system class loader:
 * <true|false>} first, then runs the app's main with the child as the thread's context class loader.
 *
 * <p>{@code system}: the child looks in its own class path first and asks its parent, the system class loader,
 * for the rest (a web app's loader in Tomcat works so). {@code platform}: the child's parent is the platform
 * class loader, so nothing of the system class path (the agent's jar included) is visible from it.
 *
 * <p>Arguments: {@code <system|platform> <class path> <app class, e.g. org.grpcetcd.it.apps.EchoServer>
 * [its arguments...]}.
 */
public final class ChildLoaderApp {
    private ChildLoaderApp() {
    }

    public static void main(String[] args) throws Throwable {
        List<URL> urls = new ArrayList<>();
        for (String entry : args[1].split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        URL[] classPath = urls.toArray(new URL[0]);
        URLClassLoader child;
        if (args[0].equals("platform")) {
            child = new URLClassLoader("grpc-child", classPath, ClassLoader.getPlatformClassLoader());
        } else if (args[0].equals("system")) {
            child = new ChildFirst(classPath, ClassLoader.getSystemClassLoader());
        } else {
            throw new IllegalArgumentException("the first argument is system or platform, not " + args[0]);
        }
        Class<?> app = Class.forName(args[2], true, child);
        Class<?> server = Class.forName("io.grpc.Server", false, child);
        boolean grpcOnSystemLoader;
        try {
            Class.forName("io.grpc.Server", false, ClassLoader.getSystemClassLoader());
            grpcOnSystemLoader = true;
        } catch (ClassNotFoundException expected) {
            grpcOnSystemLoader = false;
        }
        System.out.println("CHILD-LOADER " + app.getName() + " loaded by " + app.getClassLoader().getName()
                + ", io.grpc.Server by " + server.getClassLoader().getName()
                + ", io.grpc on the system class loader: " + grpcOnSystemLoader);
        System.out.flush();
        Thread.currentThread().setContextClassLoader(child);
        try {
            app.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 3, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Its own class path first, then the parent: the apps and gRPC come from here even if the parent has them. */
    private static final class ChildFirst extends URLClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        ChildFirst(URL[] urls, ClassLoader parent) {
            super("grpc-child", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && !name.startsWith("java.")) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        // the parent's, then
                    }
                }
                if (loaded == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
