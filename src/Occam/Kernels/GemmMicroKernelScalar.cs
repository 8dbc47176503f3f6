namespace Occam.Kernels;

/// <summary>Portable 4×4 micro-kernel in scalar arithmetic, for machines without Vector256 FMA.</summary>
internal readonly struct GemmMicroKernelScalar : IGemmMicroKernel
{
    public static int Mr => 4;

    public static int Nr => 4;

    public static int TransposeBlock => 0;

    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool addToC)
    {
        float* tile = stackalloc float[16];
        new Span<float>(tile, 16).Clear();
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            for (int r = 0; r < 4; r++)
            {
                float av = a[r];
                float* t = tile + (4 * r);
                t[0] += av * b0;
                t[1] += av * b1;
                t[2] += av * b2;
                t[3] += av * b3;
            }

            a += 4;
            b += 4;
        }

        for (int r = 0; r < 4; r++)
        {
            float* row = c + (r * ldc);
            float* t = tile + (4 * r);
            for (int j = 0; j < 4; j++)
            {
                row[j] = addToC ? row[j] + t[j] : t[j];
            }
        }
    }
}
