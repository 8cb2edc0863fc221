package dev.nncore.math;

/**
 * Whether {@link Math#fma} is fast on this JVM: one instruction where the CPU has fused multiply-add and HotSpot
 * uses it ({@code UseFMA}, every x86-64 since 2013 and every AArch64), but an exact {@code BigDecimal} computation,
 * hundreds of times slower, where not (older or low-end x86 CPUs, some emulators, {@code -XX:-UseFMA}). The kernels
 * that fuse are used only where it is fast.
 *
 * <p>The answer is measured, not looked up: the JDK has no public API for the CPU's features, and the management
 * bean that reports {@code UseFMA} needs {@code jdk.management}, which a module-path application does not resolve
 * by default. The measurement is 512 chained {@code Math.fma} calls against 512 multiply-adds, best of three, about
 * 50 microseconds once per JVM; measured here the ratio is about 1.2 with FMA and 600 without, and the cut is at 8.
 * {@code -Dnncore.fma=true} or {@code false} overrides it.
 */
final class FusedMultiplyAdd {

    static final boolean FAST = fast();

    private static volatile float sink;

    private FusedMultiplyAdd() {
    }

    private static boolean fast() {
        String forced = System.getProperty("nncore.fma");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        long fused = Long.MAX_VALUE;
        long separate = Long.MAX_VALUE;
        float x = 1.0001f;
        float acc = 0.5f;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 512; i++) {
                acc = Math.fma(x, acc, 0.25f);
            }
            fused = Math.min(fused, System.nanoTime() - start);
            start = System.nanoTime();
            for (int i = 0; i < 512; i++) {
                acc = x * acc + 0.25f;
            }
            separate = Math.min(separate, System.nanoTime() - start);
        }
        sink = acc; // the chains must not be optimised away
        return fused < 8 * Math.max(separate, 1);
    }
}
