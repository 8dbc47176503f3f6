using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Occam.Kernels;

/// <summary>The widest SIMD path this process runs its kernels on.</summary>
public enum SimdPath
{
    /// <summary>No hardware vectors: portable scalar code.</summary>
    Scalar,

    /// <summary>128-bit vectors: SSE on x86 without AVX2, NEON on ARM64 (Apple silicon, Graviton).</summary>
    Vector128,

    /// <summary>256-bit vectors with FMA: AVX2 machines.</summary>
    Vector256,

    /// <summary>512-bit vectors with FMA: AVX-512 machines.</summary>
    Vector512,
}

/// <summary>
/// One SIMD width's float operations. A kernel written once against this interface (a struct type argument) is
/// specialised by the JIT for each width, with every call inlined, so each ISA gets its own vector loop from one text.
/// </summary>
/// <typeparam name="TVector">The hardware vector type (<see cref="Vector128{T}"/>, <see cref="Vector256{T}"/>, …), or float for scalar code.</typeparam>
internal interface ISimd<TVector>
    where TVector : unmanaged
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary>
    /// Every lane set to *<paramref name="source"/>, read straight into the register where the ISA can (a load-unit
    /// broadcast, no shuffle on the arithmetic ports; micro-kernels broadcast once per multiply-add pair).
    /// </summary>
    static abstract unsafe TVector BroadcastFrom(float* source);

    /// <summary>The vector at <paramref name="source"/> + <paramref name="offset"/> floats (any alignment).</summary>
    static abstract TVector Load(ref float source, nuint offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/> + <paramref name="offset"/> floats.</summary>
    static abstract void Store(TVector value, ref float destination, nuint offset);

    /// <summary>a·b + c, fused where the hardware fuses (always on the 256- and 512-bit paths and on ARM64).</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>Lane-wise a + b.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>Lane-wise a · b.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>The sum of the lanes, in a fixed order.</summary>
    static abstract float Sum(TVector value);

    /// <summary>Lane-wise <paramref name="value"/> where <paramref name="condition"/> &gt; 0, else 0 (branch-free).</summary>
    static abstract TVector WherePositive(TVector condition, TVector value);

    /// <summary>
    /// Lane e of the result is the sum of the lanes of s_e, in a fixed order that does not depend on the other three
    /// arguments (four sums by one transpose-and-add tree, instead of a horizontal sum each).
    /// </summary>
    static abstract Vector128<float> SumFour(TVector s0, TVector s1, TVector s2, TVector s3);
}

/// <summary>The 512-bit path (AVX-512).</summary>
internal readonly struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> BroadcastFrom(float* source) => Vector512.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Simd256.Sum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WherePositive(Vector512<float> condition, Vector512<float> value) =>
        Vector512.GreaterThan(condition, Vector512<float>.Zero) & value;

    public static Vector128<float> SumFour(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3) =>
        Simd256.SumFour(s0.GetLower() + s0.GetUpper(), s1.GetLower() + s1.GetUpper(), s2.GetLower() + s2.GetUpper(), s3.GetLower() + s3.GetUpper());
}

/// <summary>The 256-bit path (AVX2 with FMA).</summary>
internal readonly struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> BroadcastFrom(float* source) => Vector256.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Simd128.Sum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WherePositive(Vector256<float> condition, Vector256<float> value) =>
        Vector256.GreaterThan(condition, Vector256<float>.Zero) & value;

    public static Vector128<float> SumFour(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3)
    {
        if (Avx.IsSupported)
        {
            // [s0.lo, s1.lo, s2.lo, s3.lo | s0.hi, s1.hi, s2.hi, s3.hi] in two horizontal adds, then one add across
            // the halves: the same additions, in the same order, as the 128-bit tree on each half.
            var h = Avx.HorizontalAdd(Avx.HorizontalAdd(s0, s1), Avx.HorizontalAdd(s2, s3));
            return h.GetLower() + h.GetUpper();
        }

        return Simd128.SumFour(s0.GetLower(), s1.GetLower(), s2.GetLower(), s3.GetLower())
            + Simd128.SumFour(s0.GetUpper(), s1.GetUpper(), s2.GetUpper(), s3.GetUpper());
    }
}

/// <summary>
/// The 128-bit path: NEON on ARM64, SSE on x86 machines without AVX2. Multiply-add is fused where the hardware has
/// it (ARM64, x86 with FMA) and a multiply then an add otherwise: a software-fused one would be scalar.
/// </summary>
internal readonly struct Simd128 : ISimd<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    /// <remarks>
    /// The JIT broadcasts a float from memory as a load and a shuffle unless AVX2 is on; the AVX form of
    /// <c>vbroadcastss</c> is a pure load, as NEON's <c>ld1r</c> is on ARM64 (measured under
    /// <c>DOTNET_EnableAVX2=0</c>: see docs/PERFORMANCE.md).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector128<float> BroadcastFrom(float* source) =>
        Avx.IsSupported ? Avx.BroadcastScalarToVector128(source) : Vector128.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) =>
        (value.GetElement(0) + value.GetElement(2)) + (value.GetElement(1) + value.GetElement(3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> WherePositive(Vector128<float> condition, Vector128<float> value) =>
        Vector128.GreaterThan(condition, Vector128<float>.Zero) & value;

    /// <remarks>Lane e is (s_e[0] + s_e[1]) + (s_e[2] + s_e[3]): pairwise adds on ARM64 and SSE3, the same sums lane by lane otherwise.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumFour(Vector128<float> s0, Vector128<float> s1, Vector128<float> s2, Vector128<float> s3)
    {
        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(s0, s1), AdvSimd.Arm64.AddPairwise(s2, s3));
        }

        if (Sse3.IsSupported)
        {
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(s0, s1), Sse3.HorizontalAdd(s2, s3));
        }

        return Vector128.Create(PairwiseSum(s0), PairwiseSum(s1), PairwiseSum(s2), PairwiseSum(s3));
    }

    private static float PairwiseSum(Vector128<float> s) => (s.GetElement(0) + s.GetElement(1)) + (s.GetElement(2) + s.GetElement(3));
}

/// <summary>
/// Scalar code in the same shape: one float per "vector", for machines whose runtime accelerates no vectors. The
/// kernels written against <see cref="ISimd{TVector}"/> then need no separate scalar text.
/// </summary>
internal readonly struct SimdScalar : ISimd<float>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float BroadcastFrom(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float WherePositive(float condition, float value) => condition > 0f ? value : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumFour(float s0, float s1, float s2, float s3) => Vector128.Create(s0, s1, s2, s3);
}

/// <summary>Which <see cref="SimdPath"/> this process runs, read once from what the runtime accelerates.</summary>
public static class Simd
{
    /// <summary>
    /// The widest path the runtime accelerates here. The runtime's switches narrow it for a whole process:
    /// <c>DOTNET_EnableAVX512=0</c> gives the AVX2 path, <c>DOTNET_EnableAVX2=0</c> the 128-bit one (what ARM64 runs).
    /// </summary>
    public static SimdPath Path { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? SimdPath.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? SimdPath.Vector256
        : Vector128.IsHardwareAccelerated ? SimdPath.Vector128
        : SimdPath.Scalar;

    /// <summary>Whether this process can run the kernels on <paramref name="path"/> (every path up to <see cref="Path"/>).</summary>
    public static bool Supports(SimdPath path) => path >= SimdPath.Scalar && path <= Path;

    /// <summary>A short name of <see cref="Path"/> and the instruction set behind it: avx512, avx2, neon, sse, scalar.</summary>
    public static string IsaName => Path switch
    {
        SimdPath.Vector512 => "avx512",
        SimdPath.Vector256 => "avx2",
        SimdPath.Vector128 => System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "neon" : "sse",
        _ => "scalar",
    };
}
