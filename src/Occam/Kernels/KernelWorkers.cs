using System.Diagnostics;

namespace Occam.Kernels;

/// <summary>
/// A small persistent pool that runs the tasks of one kernel call on the caller plus up to ThreadCount − 1 workers.
/// Unlike Parallel.For it allocates nothing per call, and workers spin briefly between calls, so the back-to-back
/// multiplies of a training step do not pay a thread wake-up each. Tasks are claimed dynamically, so a worker
/// slowed by other load hands its share to the others. Results must not depend on which thread runs a task.
/// </summary>
internal static unsafe class KernelWorkers
{
    // How long an idle worker spins for the next call before it blocks.
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000;

    private static readonly Lock SubmitLock = new();
    private static readonly object SleepLock = new();
    private static readonly List<Thread> Workers = [];

    // One word holds the call's generation (bits 40+), task count (bits 20–39) and next unclaimed task (bits 0–19),
    // so a worker claims a task of exactly the call it saw with one compare-exchange.
    private static long _work;
    private static int _completed;
    private static int _freeWorkerSlots;
    private static delegate*<nint, int, void> _body;
    private static nint _state;
    private static Exception? _failure;

    private const int IndexBits = 20;
    private const long IndexMask = (1L << IndexBits) - 1;

    /// <summary>Largest task count one call may have.</summary>
    public const int MaxTasks = (1 << IndexBits) - 1;

    /// <summary>
    /// Runs <paramref name="body"/>(<paramref name="state"/>, t) for every t in [0, <paramref name="tasks"/>) and
    /// returns when all are done. Runs everything on the caller when another call (or an enclosing one on this
    /// thread) already holds the pool.
    /// </summary>
    public static void Run(int tasks, int threadCount, delegate*<nint, int, void> body, nint state)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tasks, MaxTasks);
        if (tasks <= 1 || threadCount <= 1 || SubmitLock.IsHeldByCurrentThread || !SubmitLock.TryEnter())
        {
            for (int task = 0; task < tasks; task++)
            {
                body(state, task);
            }

            return;
        }

        try
        {
            EnsureWorkers(Math.Min(threadCount, tasks) - 1);
            _body = body;
            _state = state;
            _failure = null;
            Volatile.Write(ref _completed, 0);
            // Workers left from a call with more threads must not join this one.
            Volatile.Write(ref _freeWorkerSlots, Math.Min(threadCount, tasks) - 1);
            long generation = (Volatile.Read(ref _work) >> (2 * IndexBits)) + 1;
            Volatile.Write(ref _work, (generation << (2 * IndexBits)) | ((long)tasks << IndexBits));
            lock (SleepLock)
            {
                Monitor.PulseAll(SleepLock);
            }

            RunTasks(generation);
            // Workers are mid-task here: yield rather than sleep, a millisecond sleep would cost more than a task.
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _completed) < tasks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            if (_failure is not null)
            {
                throw new AggregateException(_failure);
            }
        }
        finally
        {
            SubmitLock.Exit();
        }
    }

    /// <summary>Claims and runs tasks of call <paramref name="generation"/> until none are left.</summary>
    private static void RunTasks(long generation)
    {
        while (true)
        {
            long work = Volatile.Read(ref _work);
            long next = work & IndexMask;
            if ((work >> (2 * IndexBits)) != generation || next >= ((work >> IndexBits) & IndexMask))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _work, work + 1, work) != work)
            {
                continue;
            }

            // While this task is unfinished the call cannot complete, so _body and _state are still this call's.
            try
            {
                _body(_state, (int)next);
            }
            catch (Exception exception)
            {
                _failure ??= exception;
            }

            Interlocked.Increment(ref _completed);
        }
    }

    private static void EnsureWorkers(int count)
    {
        while (Workers.Count < count)
        {
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"Occam kernel worker {Workers.Count + 1}" };
            Workers.Add(thread);
            thread.Start();
        }
    }

    private static void WorkerLoop()
    {
        long seen = Volatile.Read(ref _work) >> (2 * IndexBits);
        while (true)
        {
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _work) >> (2 * IndexBits) == seen)
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                lock (SleepLock)
                {
                    while (Volatile.Read(ref _work) >> (2 * IndexBits) == seen)
                    {
                        Monitor.Wait(SleepLock);
                    }
                }
            }

            seen = Volatile.Read(ref _work) >> (2 * IndexBits);
            if (Interlocked.Decrement(ref _freeWorkerSlots) >= 0)
            {
                RunTasks(seen);
            }
        }
    }
}
