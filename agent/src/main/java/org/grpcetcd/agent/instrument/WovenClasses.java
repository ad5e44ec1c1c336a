package org.grpcetcd.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The class file of a hooked gRPC class with {@link GrpcHookAdvice} woven in. For every gRPC release from 1.26 on
 * that the agent was built with, ByteBuddy wove it when the agent jar was built ({@code PrewovenClassesGenerator} in
 * the agent's tests). Each result is in the jar under {@link #PREWOVEN}, named by the CRC-32 and length of the class
 * file it came from, and stored after that very class file: a class file is taken as known only when it equals the
 * stored one byte for byte. A known class file costs a checksum, a read and a compare, 1.5-2.2 ms of the app's
 * thread as {@code ServerImpl} loads (measured on 2 CPUs), and ByteBuddy is not even loaded: its first weave loads
 * ~770 of its classes, 0.3-0.5 s of a CPU. (SHA-256 as the name cost 60-80 ms, cold.) Any other class file (a newer
 * gRPC, or one that another agent changed first) is woven here and now by the same {@link HookWeaver}.
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
        byte[] stored;
        try (InputStream in = WovenClasses.class.getClassLoader().getResourceAsStream(PREWOVEN + nameOf(classFile))) {
            if (in == null) {
                return null;
            }
            stored = in.readAllBytes();
        }
        int length = classFile.length;
        return stored.length > length && Arrays.equals(stored, 0, length, classFile, 0, length)
                ? Arrays.copyOfRange(stored, length, stored.length) : null;
    }

    /** The resource name of the build's weave of {@code classFile}, if there is one. */
    static String nameOf(byte[] classFile) {
        CRC32 crc = new CRC32();
        crc.update(classFile, 0, classFile.length);
        return Long.toHexString(crc.getValue()) + "-" + classFile.length;
    }

    private synchronized HookWeaver weaver() {
        if (weaver == null) {
            weaver = new HookWeaver();
        }
        return weaver;
    }
}
