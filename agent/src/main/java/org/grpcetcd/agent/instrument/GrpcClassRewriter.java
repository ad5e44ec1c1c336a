package org.grpcetcd.agent.instrument;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Adds the agent's hooks to two gRPC classes, as they load:
 * <ul>
 *   <li>{@code io.grpc.internal.ServerImpl}: {@code start()} reports the started server just before it returns;
 *       {@code shutdown()} and {@code shutdownNow()} report the stopping server first thing. Every transport
 *       (Netty, shaded Netty, OkHttp, in-process) builds a ServerImpl, and wrappers delegate to it, so each
 *       server reports once.</li>
 *   <li>{@code io.grpc.NameResolverRegistry}: {@code getDefaultRegistry()} reports the registry before
 *       returning it, so the etcd resolver is in it before any channel looks up a scheme.</li>
 * </ul>
 * Each hook call goes through a small static method added to the class that catches every Throwable, so not
 * even a class-loading error on the agent's side can reach the app.
 */
final class GrpcClassRewriter {
    static final String SERVER_IMPL = "io/grpc/internal/ServerImpl";
    static final String NAME_RESOLVER_REGISTRY = "io/grpc/NameResolverRegistry";

    private static final String HOOKS = "org/grpcetcd/agent/bootstrap/GrpcHooks";
    private static final String OBJECT_TO_VOID = "(Ljava/lang/Object;)V";
    private static final int JAVA_6_CLASS_VERSION = 50;

    private GrpcClassRewriter() {
    }

    static boolean handles(String internalName) {
        return SERVER_IMPL.equals(internalName) || NAME_RESOLVER_REGISTRY.equals(internalName);
    }

    /** The rewritten class, or {@code null} when it has none of the expected methods (an unknown gRPC). */
    static byte[] rewrite(String internalName, byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        HookingVisitor hooking = new HookingVisitor(writer, internalName);
        reader.accept(hooking, 0);
        return hooking.hooked ? writer.toByteArray() : null;
    }

    private static final class HookingVisitor extends ClassVisitor {
        private final String className;
        private boolean framesRequired;
        private boolean hooked;
        private boolean addStarted;
        private boolean addStopping;
        private boolean addRegistry;

        HookingVisitor(ClassVisitor next, String className) {
            super(Opcodes.ASM9, next);
            this.className = className;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            framesRequired = (version & 0xFFFF) >= JAVA_6_CLASS_VERSION;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            boolean plain = (access & (Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_ABSTRACT)) == 0;
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            boolean noArguments = descriptor.startsWith("()L");
            if (!plain || !noArguments) {
                return next;
            }
            if (className.equals(SERVER_IMPL) && !isStatic && name.equals("start")) {
                hooked = addStarted = true;
                return new BeforeReturn(next, Opcodes.ALOAD, hookName("serverStarted"), className);
            }
            if (className.equals(SERVER_IMPL) && !isStatic
                    && (name.equals("shutdown") || name.equals("shutdownNow"))) {
                hooked = addStopping = true;
                return new AtEntry(next, hookName("serverStopping"), className);
            }
            if (className.equals(NAME_RESOLVER_REGISTRY) && isStatic && name.equals("getDefaultRegistry")) {
                hooked = addRegistry = true;
                return new BeforeReturn(next, Opcodes.DUP, hookName("defaultRegistry"), className);
            }
            return next;
        }

        @Override
        public void visitEnd() {
            if (addStarted) {
                addGuardedCall("serverStarted");
            }
            if (addStopping) {
                addGuardedCall("serverStopping");
            }
            if (addRegistry) {
                addGuardedCall("defaultRegistry");
            }
            super.visitEnd();
        }

        /** {@code private static void grpcEtcd$hook(Object o) { try { GrpcHooks.hook(o); } catch (Throwable t) {} }} */
        private void addGuardedCall(String hook) {
            MethodVisitor method = super.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                    hookName(hook), OBJECT_TO_VOID, null, null);
            method.visitCode();
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            method.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
            method.visitLabel(start);
            method.visitVarInsn(Opcodes.ALOAD, 0);
            method.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, OBJECT_TO_VOID, false);
            method.visitLabel(end);
            method.visitInsn(Opcodes.RETURN);
            method.visitLabel(handler);
            if (framesRequired) {
                method.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Throwable"});
            }
            method.visitInsn(Opcodes.POP);
            method.visitInsn(Opcodes.RETURN);
            method.visitMaxs(1, 1);
            method.visitEnd();
        }
    }

    private static String hookName(String hook) {
        return "grpcEtcd$" + hook;
    }

    /** Before each {@code areturn}: pushes {@code this} (ALOAD 0) or the returned value (DUP) to the hook. */
    private static final class BeforeReturn extends MethodVisitor {
        private final int push;
        private final String guardedCall;
        private final String owner;

        BeforeReturn(MethodVisitor next, int push, String guardedCall, String owner) {
            super(Opcodes.ASM9, next);
            this.push = push;
            this.guardedCall = guardedCall;
            this.owner = owner;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.ARETURN) {
                if (push == Opcodes.ALOAD) {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                } else {
                    super.visitInsn(push);
                }
                super.visitMethodInsn(Opcodes.INVOKESTATIC, owner, guardedCall, OBJECT_TO_VOID, false);
            }
            super.visitInsn(opcode);
        }
    }

    /** First thing in the method: passes {@code this} to the hook. */
    private static final class AtEntry extends MethodVisitor {
        private final String guardedCall;
        private final String owner;

        AtEntry(MethodVisitor next, String guardedCall, String owner) {
            super(Opcodes.ASM9, next);
            this.guardedCall = guardedCall;
            this.owner = owner;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, owner, guardedCall, OBJECT_TO_VOID, false);
        }
    }
}
