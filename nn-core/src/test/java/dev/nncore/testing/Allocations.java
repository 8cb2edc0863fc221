package dev.nncore.testing;

import java.lang.reflect.Method;

/**
 * Bytes a thread has allocated, as HotSpot counts them ({@code com.sun.management.ThreadMXBean}), for the tests that
 * hold a path to allocating nothing. Reached by reflection, because nn-core's module does not read
 * {@code java.management}; the tests run on the class path. Each call boxes its result: a few bytes on the calling
 * thread, the same for every measurement.
 */
public final class Allocations {

    /**
     * Rounds for {@link #fewest} on a path the Vector API computes: until C2 has compiled every tile the path reaches,
     * each vector is boxed (hundreds of KB a call), and how soon that happens depends on which tests ran before, so a
     * handful of rounds passed in one test order and failed in another. Passing paths stop at their first quiet round.
     * (A path that keeps allocating in every round is a real failure: the one seen on CI was C2 leaving the API's
     * intrinsics unexpanded in an oversized caller, which {@code VectorKernelShapeTest} now guards against; another,
     * one run in 13 of the split tests run alone, was a call compiled without a type profile and left out of line,
     * which {@code UnprofiledKernelTest} guards against.)
     */
    public static final int UNTIL_COMPILED = 60;

    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        try {
            BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Allocations() {
    }

    /** @return the bytes thread {@code id} has allocated so far */
    public static long ofThread(long id) {
        try {
            return (Long) ALLOCATED.invoke(BEAN, id);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ThreadMXBean.getThreadAllocatedBytes failed", e);
        }
    }

    /** @return the bytes the calling thread has allocated so far */
    public static long ofThisThread() {
        return ofThread(Thread.currentThread().getId());
    }

    /**
     * @return the ids of the calling thread and of nn-core's worker threads started so far ({@code nncore-worker-N}),
     *     which run parts of split products and batches: the threads whose allocations a split path's test counts
     */
    public static long[] callerAndWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().startsWith("nncore-worker-"))
                .mapToLong(Thread::getId).toArray();
    }

    /** @return the bytes the threads {@code ids} have allocated so far, summed */
    public static long ofThreads(long... ids) {
        long sum = 0;
        for (long id : ids) {
            sum += ofThread(id);
        }
        return sum;
    }

    /**
     * Runs {@code work} up to {@code rounds} times and returns the fewest bytes the threads {@code ids} allocated in one
     * run, stopping early at a run under {@code enough}. A path that allocates on every call allocates in every round;
     * a round in which the JIT deoptimises and recompiles (until C2 compiles it again, the Vector API boxes every
     * vector it computes) or a stray GC event does not decide the test.
     */
    public static long fewest(int rounds, long enough, Runnable work, long... ids) {
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < rounds && fewest >= enough; round++) {
            long before = ofThreads(ids);
            work.run();
            fewest = Math.min(fewest, ofThreads(ids) - before);
        }
        return fewest;
    }
}
