using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Kernels;

/// <summary>
/// Element-wise activation functions and their derivatives, vectorised through TensorPrimitives or, where it has no
/// such operation, on the vectors of <see cref="Simd.Path"/>.
/// </summary>
internal static class Activations
{
    // sqrt(2/π) and the cubic coefficient of GPT-2's tanh approximation of GELU.
    private const float GeluScale = 0.7978845608028654f;
    private const float GeluCubic = 0.044715f;

    // Backward needs tanh(u) and x² at once; a stack chunk of this many floats keeps it allocation-free.
    private const int ChunkLength = 256;

    /// <summary>
    /// GELU, tanh approximation (GPT-2, PyTorch's <c>approximate="tanh"</c>):
    /// y = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). <paramref name="y"/> may be <paramref name="x"/> itself.
    /// </summary>
    public static void GeluForward(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckLengths(x.Length, y.Length, nameof(y));
        Span<float> t = stackalloc float[ChunkLength];
        for (int start = 0; start < x.Length; start += ChunkLength)
        {
            int length = Math.Min(ChunkLength, x.Length - start);
            var xs = x.Slice(start, length);
            var tc = t[..length];
            TanhArgument(xs, tc);
            TensorPrimitives.Tanh(tc, tc);
            TensorPrimitives.Add(tc, 1f, tc);
            TensorPrimitives.Multiply(tc, xs, tc);
            TensorPrimitives.Multiply(tc, 0.5f, y.Slice(start, length));
        }
    }

    /// <summary>
    /// Gradient of <see cref="GeluForward"/>: dx = dy·(½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²)),
    /// with t = tanh(√(2/π)·(x + 0.044715·x³)). <paramref name="dx"/> may be <paramref name="dy"/> itself.
    /// </summary>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(x.Length, dy.Length, nameof(dy));
        CheckLengths(x.Length, dx.Length, nameof(dx));
        Span<float> t = stackalloc float[ChunkLength];
        Span<float> slope = stackalloc float[ChunkLength];
        for (int start = 0; start < x.Length; start += ChunkLength)
        {
            int length = Math.Min(ChunkLength, x.Length - start);
            var xs = x.Slice(start, length);
            var tc = t[..length];
            var sc = slope[..length];
            TanhArgument(xs, tc);
            TensorPrimitives.Tanh(tc, tc);

            // sc = ½·x·√(2/π)·(1 + 3·0.044715·x²)
            TensorPrimitives.Multiply(xs, xs, sc);
            TensorPrimitives.Multiply(sc, 0.5f * GeluScale * 3f * GeluCubic, sc);
            TensorPrimitives.Add(sc, 0.5f * GeluScale, sc);
            TensorPrimitives.Multiply(sc, xs, sc);

            // ½·(1 + t) + sc·(1 − t²) = (1 + t)·(½ + sc·(1 − t))
            TensorPrimitives.Subtract(1f, tc, tc);
            TensorPrimitives.MultiplyAdd(sc, tc, 0.5f, sc);
            TensorPrimitives.Subtract(2f, tc, tc);
            TensorPrimitives.Multiply(sc, tc, sc);
            TensorPrimitives.Multiply(dy.Slice(start, length), sc, dx.Slice(start, length));
        }
    }

    /// <summary>
    /// Gradient of ReLU from its output: dx = dy where y &gt; 0, else 0. <paramref name="dx"/> may be
    /// <paramref name="dy"/> itself.
    /// </summary>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        ReluBackward(Simd.Path, y, dy, dx);

    /// <summary><see cref="ReluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> on the vectors of <paramref name="path"/>.</summary>
    internal static void ReluBackward(SimdPath path, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(y.Length, dy.Length, nameof(dy));
        CheckLengths(y.Length, dx.Length, nameof(dx));
        int done = path switch
        {
            SimdPath.Vector512 => ReluBackward<Simd512, Vector512<float>>(y, dy, dx),
            SimdPath.Vector256 => ReluBackward<Simd256, Vector256<float>>(y, dy, dx),
            SimdPath.Vector128 => ReluBackward<Simd128, Vector128<float>>(y, dy, dx),
            _ => 0,
        };
        for (int i = done; i < dx.Length; i++)
        {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    // Whole vectors only; returns how many elements it did. Branch-free: a random sign pattern makes a branch
    // mispredict half the time.
    private static int ReluBackward<TSimd, TVector>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float dys = ref MemoryMarshal.GetReference(dy);
        ref float dxs = ref MemoryMarshal.GetReference(dx);
        int count = TSimd.Count;
        int end = dx.Length - (dx.Length % count);
        for (int i = 0; i < end; i += count)
        {
            TSimd.Store(TSimd.WherePositive(TSimd.Load(ref ys, (nuint)i), TSimd.Load(ref dys, (nuint)i)), ref dxs, (nuint)i);
        }

        return end;
    }

    // u = √(2/π)·(x + 0.044715·x³) = x·(√(2/π) + √(2/π)·0.044715·x²)
    private static void TanhArgument(ReadOnlySpan<float> x, Span<float> u)
    {
        TensorPrimitives.Multiply(x, x, u);
        TensorPrimitives.Multiply(u, GeluScale * GeluCubic, u);
        TensorPrimitives.Add(u, GeluScale, u);
        TensorPrimitives.Multiply(u, x, u);
    }

    private static void CheckLengths(int expected, int actual, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Length {actual} does not match the input's {expected}.", name);
        }
    }
}
