using System.Runtime.CompilerServices;

namespace Occam.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded panel layouts the micro-kernel streams
/// through. Packing is where the transposes are absorbed, so one micro-kernel serves every transpose case.
/// </summary>
internal static unsafe class GemmPacking<TKernel>
    where TKernel : struct, IGemmMicroKernel
{
    /// <summary>
    /// Packs op(A)[i0..i0+mc, p0..p0+kc] as consecutive Mr×kc panels; inside a panel element (r, p) is at p·Mr + r.
    /// Rows past mc are zero so edge tiles run the same kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transposeA, float* a, int lda, int i0, int mc, int p0, int kc, float* destination)
    {
        int mr = TKernel.Mr;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = destination + ((long)ir * kc);
            if (transposeA)
            {
                // op(A) row i is column i of A: each k step is a contiguous run of A's row p.
                for (int p = 0; p < kc; p++)
                {
                    float* source = a + ((long)(p0 + p) * lda) + i0 + ir;
                    float* target = panel + ((long)p * mr);
                    if (rows == mr)
                    {
                        Unsafe.CopyBlockUnaligned(target, source, (uint)(mr * sizeof(float)));
                        continue;
                    }

                    int r = 0;
                    for (; r < rows; r++)
                    {
                        target[r] = source[r];
                    }

                    for (; r < mr; r++)
                    {
                        target[r] = 0f;
                    }
                }
            }
            else
            {
                // A full panel is a sequence of register transposes down k; the last row block may overlap the one
                // before it (6 rows = rows 0–3, then 2–5), rewriting equal values. Panels lower than 8 rows take the
                // 4×4 transpose, which every vector path has. The rest goes element by element.
                int block = Math.Min(TKernel.TransposeBlock, TKernel.Mr >= 8 ? 8 : 4);
                int blocked = 0;
                if (block > 0 && rows == mr && mr >= block)
                {
                    blocked = kc - (kc % block);
                    for (int rb = 0; rb < mr; rb += block)
                    {
                        int r0 = Math.Min(rb, mr - block);
                        float* source = a + ((long)(i0 + ir + r0) * lda) + p0;
                        for (int p = 0; p < blocked; p += block)
                        {
                            Transpose.Block(block, ref *(source + p), lda, ref *(panel + (p * mr) + r0), mr);
                        }
                    }
                }

                for (int r = 0; r < mr; r++)
                {
                    float* target = panel + r;
                    if (r < rows)
                    {
                        float* source = a + ((long)(i0 + ir + r) * lda) + p0;
                        for (int p = blocked; p < kc; p++)
                        {
                            target[p * mr] = source[p];
                        }
                    }
                    else
                    {
                        for (int p = blocked; p < kc; p++)
                        {
                            target[p * mr] = 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0..p0+kc, j0..j0+nc] as consecutive kc×Nr panels; inside a panel element (p, j) is at p·Nr + j.
    /// Columns past nc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transposeB, float* b, int ldb, int p0, int kc, int j0, int nc, float* destination)
    {
        int nr = TKernel.Nr;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            float* panel = destination + ((long)jr * kc);
            if (transposeB)
            {
                PackTransposedPanel(b + ((long)(j0 + jr) * ldb) + p0, ldb, kc, columns, panel);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* source = b + ((long)(p0 + p) * ldb) + j0 + jr;
                    float* target = panel + ((long)p * nr);
                    if (columns == nr)
                    {
                        Unsafe.CopyBlockUnaligned(target, source, (uint)(nr * sizeof(float)));
                    }
                    else
                    {
                        int j = 0;
                        for (; j < columns; j++)
                        {
                            target[j] = source[j];
                        }

                        for (; j < nr; j++)
                        {
                            target[j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs one panel of op(B) = Bᵀ: panel[p·Nr + j] = source[j·ldb + p]. Whole blocks go through the kernel's
    /// register transpose (this packing is on the critical path of the dense layer's forward pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposedPanel(float* source, int ldb, int kc, int columns, float* panel)
    {
        int nr = TKernel.Nr;
        int block = TKernel.TransposeBlock;
        int j = 0;
        int kcBlocked = block > 0 ? kc - (kc % block) : 0;
        if (kcBlocked > 0)
        {
            for (; j + block <= columns; j += block)
            {
                for (int p = 0; p < kcBlocked; p += block)
                {
                    Transpose.Block(block, ref *(source + ((long)j * ldb) + p), ldb, ref *(panel + ((long)p * nr) + j), nr);
                }
            }
        }

        for (int jj = j; jj < nr; jj++)
        {
            float* target = panel + jj;
            if (jj < columns)
            {
                float* row = source + ((long)jj * ldb);
                for (int p = 0; p < kcBlocked; p++)
                {
                    target[p * nr] = row[p];
                }
            }
            else
            {
                for (int p = 0; p < kcBlocked; p++)
                {
                    target[p * nr] = 0f;
                }
            }
        }

        // Leftover k steps (kc not a multiple of the block) for every column.
        for (int p = kcBlocked; p < kc; p++)
        {
            float* target = panel + ((long)p * nr);
            int jj = 0;
            for (; jj < columns; jj++)
            {
                target[jj] = source[((long)jj * ldb) + p];
            }

            for (; jj < nr; jj++)
            {
                target[jj] = 0f;
            }
        }
    }
}
