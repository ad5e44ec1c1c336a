package org.grpcetcd.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The class file of a hooked gRPC class with {@link GrpcHookAdvice} woven in. For every gRPC release from 1.26 on
 * that the agent was built with, ByteBuddy wove it when the agent jar was built ({@code PrewovenClassesGenerator} in
 * the agent's tests), and the result is in the jar under {@link #PREWOVEN}, named by the SHA-256 of the class file it
 * came from. A class file found there costs a hash and a read: ByteBuddy is not even loaded, which on 2 CPUs saves
 * the app 0.3-0.5 s of class loading and warm-up (measured: 770 ByteBuddy classes for the first weave). Any other
 * class file (a newer gRPC, or one that another agent changed first) is woven here and now by the same
 * {@link HookWeaver}.
 */
final class WovenClasses {
    /** The folder, among the agent's own resources, of the class files woven when the agent was built. */
    static final String PREWOVEN = "prewoven/";

    private HookWeaver weaver; // guarded by this; made for the first class file the build did not weave

    /**
     * The class file with the hooks woven in, or {@code null} when the class lacks the method its hook goes into
     * (a gRPC version the agent does not know).
     */
    byte[] woven(String className, ClassLoader loader, byte[] classFile) throws IOException {
        byte[] prewoven = prewoven(classFile);
        return prewoven != null ? prewoven : weaver().weave(className, loader, classFile);
    }

    /** What the build wove from exactly {@code classFile}, or {@code null}. */
    static byte[] prewoven(byte[] classFile) throws IOException {
        try (InputStream in = WovenClasses.class.getClassLoader().getResourceAsStream(PREWOVEN + sha256(classFile))) {
            return in == null ? null : in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            StringBuilder hex = new StringBuilder(64);
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private synchronized HookWeaver weaver() {
        if (weaver == null) {
            weaver = new HookWeaver();
        }
        return weaver;
    }
}
