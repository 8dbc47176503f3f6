using System.Runtime.CompilerServices;

namespace Occam.Kernels;

/// <summary>
/// The blocked SGEMM loop nest (GotoBLAS/BLIS order, with A and B roles mirrored for row-major C):
/// for each column block of NC, for each k block of KC, pack op(B) (KC×NC, sized for L2); for each row block of MC,
/// pack op(A); then every Mr-row panel of A (L1-resident) sweeps the Nr-column panels of B with the micro-kernel.
/// Threads take disjoint rectangles of C and run the whole k loop for each, so each element's sum — over k blocks in
/// order, and within a block in register order — is the same for any thread count: results are bit-identical.
/// </summary>
internal static unsafe class GemmDriver<TKernel>
    where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Depth of a k block: a packed A panel (Mr×KC) stays in L1, a B panel (KC×Nr) streams from L2.</summary>
    internal const int KC = 256;

    /// <summary>Below this many multiply-adds, handing work to other threads costs more than it saves.</summary>
    private const long ParallelThreshold = 1L << 21;

    /// <summary>Width of a packed B block, a multiple of Nr near 512 columns (KC×NC floats ≈ half of L2).</summary>
    private static int NC => TKernel.Nr * Math.Max(1, 512 / TKernel.Nr);

    /// <summary>Height of a packed A block, a multiple of Mr near 192 rows.</summary>
    private static int MC => TKernel.Mr * Math.Max(1, 192 / TKernel.Mr);

    public static void Run(in GemmProblem problem, int threadCount)
    {
        long work = (long)problem.M * problem.N * problem.K;
        if (threadCount <= 1 || work < ParallelThreshold)
        {
            RunRectangle(problem, 0, problem.M, 0, problem.N);
            return;
        }

        var job = new ParallelJob(problem, TaskGrid.Choose(problem.M, problem.N, threadCount));
        KernelWorkers.Run(job.Grid.Tasks, threadCount, &RunJobTask, (nint)(&job));
    }

    /// <summary>Worker entry point: computes rectangle <paramref name="task"/> of the job at <paramref name="state"/>.</summary>
    private static void RunJobTask(nint state, int task)
    {
        var job = (ParallelJob*)state;
        var problem = job->Problem;
        var grid = job->Grid;
        RunRectangle(
            problem,
            grid.RowStart(task, problem.M),
            grid.RowEnd(task, problem.M),
            grid.ColumnStart(task, problem.N),
            grid.ColumnEnd(task, problem.N));
    }

    /// <summary>What a worker needs to run one rectangle; lives on the caller's stack for the call.</summary>
    private readonly record struct ParallelJob(GemmProblem Problem, TaskGrid Grid);

    /// <summary>
    /// How C is cut into rectangles for threads: about four per thread, so a thread slowed down by other load
    /// hands its share to the rest (tasks are claimed dynamically). Among the cuts with that many pieces
    /// it picks the one that repacks the least: every row chunk packs all of its B columns again, every column
    /// chunk all of its A rows. Cuts fall on tile boundaries, so the arithmetic never depends on the cut.
    /// </summary>
    private readonly record struct TaskGrid(int RowChunks, int ColumnChunks, int RowPanels, int ColumnPanels)
    {
        private const int TasksPerThread = 4;

        public int Tasks => RowChunks * ColumnChunks;

        public static TaskGrid Choose(int m, int n, int threadCount)
        {
            int rowPanels = Ceiling(m, TKernel.Mr);
            int columnPanels = Ceiling(n, TKernel.Nr);
            int target = Math.Min(threadCount * TasksPerThread, rowPanels * columnPanels);
            var best = new TaskGrid(1, 1, rowPanels, columnPanels);
            long bestCost = long.MaxValue;
            for (int rowChunks = 1; rowChunks <= Math.Min(target, rowPanels); rowChunks++)
            {
                int columnChunks = Math.Min(Ceiling(target, rowChunks), columnPanels);
                long repacking = ((long)rowChunks * n) + ((long)columnChunks * m);
                if (rowChunks * columnChunks >= Math.Min(target, threadCount) && repacking < bestCost)
                {
                    best = new TaskGrid(rowChunks, columnChunks, rowPanels, columnPanels);
                    bestCost = repacking;
                }
            }

            return best;
        }

        public int RowStart(int task, int m) => Math.Min(m, Boundary(RowPanels, RowChunks, task / ColumnChunks) * TKernel.Mr);

        public int RowEnd(int task, int m) => Math.Min(m, Boundary(RowPanels, RowChunks, (task / ColumnChunks) + 1) * TKernel.Mr);

        public int ColumnStart(int task, int n) => Math.Min(n, Boundary(ColumnPanels, ColumnChunks, task % ColumnChunks) * TKernel.Nr);

        public int ColumnEnd(int task, int n) => Math.Min(n, Boundary(ColumnPanels, ColumnChunks, (task % ColumnChunks) + 1) * TKernel.Nr);

        private static int Boundary(int panels, int chunks, int index) => (int)((long)panels * index / chunks);
    }

    /// <summary>Computes C[rowStart..rowEnd, columnStart..columnEnd] over the full k range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRectangle(in GemmProblem problem, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int nc = NC;
        int mc = MC;
        var workspace = GemmWorkspace.ForCurrentThread(mc * KC, nc * KC, mr * nr);
        float* packedA = workspace.PackedA;
        float* packedB = workspace.PackedB;
        float* edgeTile = workspace.EdgeTile;
        int k = problem.K;
        int ldc = problem.Ldc;

        for (int jc = columnStart; jc < columnEnd; jc += nc)
        {
            int columns = Math.Min(nc, columnEnd - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int depth = Math.Min(KC, k - pc);
                bool addToC = problem.Accumulate || pc > 0;
                GemmPacking<TKernel>.PackB(problem.TransposeB, problem.B, problem.Ldb, pc, depth, jc, columns, packedB);
                for (int ic = rowStart; ic < rowEnd; ic += mc)
                {
                    int rows = Math.Min(mc, rowEnd - ic);
                    GemmPacking<TKernel>.PackA(problem.TransposeA, problem.A, problem.Lda, ic, rows, pc, depth, packedA);
                    for (int ir = 0; ir < rows; ir += mr)
                    {
                        int tileRows = Math.Min(mr, rows - ir);
                        float* aPanel = packedA + ((long)ir * depth);
                        float* cRow = problem.C + ((long)(ic + ir) * ldc) + jc;
                        for (int jr = 0; jr < columns; jr += nr)
                        {
                            int tileColumns = Math.Min(nr, columns - jr);
                            float* bPanel = packedB + ((long)jr * depth);
                            if (tileRows == mr && tileColumns == nr)
                            {
                                TKernel.Run(depth, aPanel, bPanel, cRow + jr, ldc, addToC);
                            }
                            else
                            {
                                TKernel.Run(depth, aPanel, bPanel, edgeTile, nr, addToC: false);
                                MergeEdgeTile(edgeTile, cRow + jr, ldc, tileRows, tileColumns, addToC);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Writes (or adds) the valid part of a full-size scratch tile into C, with the kernel's arithmetic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeEdgeTile(float* tile, float* c, int ldc, int rows, int columns, bool addToC)
    {
        int nr = TKernel.Nr;
        for (int r = 0; r < rows; r++)
        {
            float* source = tile + (r * nr);
            float* target = c + ((long)r * ldc);
            for (int j = 0; j < columns; j++)
            {
                target[j] = addToC ? target[j] + source[j] : source[j];
            }
        }
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;
}
