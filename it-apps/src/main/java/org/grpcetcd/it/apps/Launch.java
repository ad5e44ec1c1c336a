package org.grpcetcd.it.apps;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * The one main class of the packaged launchers (uber-jar, Spring Boot jar): the first argument names the app of
 * this package to run ({@code EchoServer}, {@code EchoClient}, ...), the rest are its arguments. The app is loaded
 * through the class loader that loaded this class, so it links against the gRPC packed next to it. Prints
 * {@code LAUNCH <app>: io.grpc.Server loaded by <class of its class loader>} first.
 */
public final class Launch {
    private Launch() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: Launch <EchoServer|EchoClient|...> [arguments of that app]");
            System.exit(2);
        }
        Class<?> app = Class.forName(Launch.class.getPackage().getName() + "." + args[0], true,
                Launch.class.getClassLoader());
        ClassLoader grpcLoader = Class.forName("io.grpc.Server", false, Launch.class.getClassLoader()).getClassLoader();
        System.out.println("LAUNCH " + args[0] + ": io.grpc.Server loaded by "
                + (grpcLoader == null ? "the boot class loader" : grpcLoader.getClass().getName()));
        System.out.flush();
        try {
            app.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
