using System.Runtime.Intrinsics;
using Occam.Kernels;

namespace Occam.Tests.Kernels;

public class SimdTests
{
    [Fact]
    public void ThePathIsOneTheRuntimeAccelerates()
    {
        switch (Simd.Path)
        {
            case SimdPath.Vector512:
                Assert.True(Vector512.IsHardwareAccelerated);
                break;
            case SimdPath.Vector256:
                Assert.True(Vector256.IsHardwareAccelerated);
                Assert.False(Vector512.IsHardwareAccelerated);
                break;
            case SimdPath.Vector128:
                Assert.True(Vector128.IsHardwareAccelerated);
                Assert.False(Vector256.IsHardwareAccelerated);
                break;
            default:
                Assert.False(Vector128.IsHardwareAccelerated);
                break;
        }

        Assert.Contains(Simd.IsaName, new[] { "avx512", "avx2", "neon", "sse", "scalar" });
    }

    [Fact]
    public void TheRuntimeIsaSwitchesOfThisProcessTookEffect()
    {
        // .ci/run repeats the kernel tests under these switches: they must narrow the path, or those runs test nothing new.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.NotEqual(SimdPath.Vector512, Simd.Path);
        }

        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.True(Simd.Path <= SimdPath.Vector128, $"path {Simd.Path} with AVX2 off");
        }
    }

    [Fact]
    public void EveryAcceleratedWidthComputesTheSameAsScalarCode()
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Check<Simd512, Vector512<float>>();
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Check<Simd256, Vector256<float>>();
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Check<Simd128, Vector128<float>>();
        }

        Check<SimdScalar, float>();
    }

    private static unsafe void Check<TSimd, TVector>()
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int count = TSimd.Count;
        var a = Enumerable.Range(0, count + 1).Select(i => 0.5f + i).ToArray();
        var b = Enumerable.Range(0, count + 1).Select(i => 2f - (0.25f * i)).ToArray();
        var output = new float[count + 1];
        output[count] = 42f;
        var va = TSimd.Load(ref a[0], 1);
        var vb = TSimd.Load(ref b[0], 1);
        TSimd.Store(TSimd.MultiplyAdd(va, vb, TSimd.Broadcast(3f)), ref output[0], 0);
        float sum = 0f;
        for (int i = 0; i < count; i++)
        {
            Assert.Equal((a[i + 1] * b[i + 1]) + 3f, output[i], 1e-5f);
            sum += a[i + 1] + b[i + 1];
        }

        Assert.Equal(42f, output[count]);
        Assert.Equal(sum, TSimd.Sum(TSimd.Add(va, vb)), 1e-4f);
        Assert.Equal(a[1] * b[1], TSimd.Sum(TSimd.Multiply(va, TSimd.Broadcast(0f))) + (a[1] * b[1]));
        fixed (float* pa = a)
        {
            Assert.Equal(a[count] * count, TSimd.Sum(TSimd.BroadcastFrom(pa + count)));
        }

        // SumFour: lane e is the lane sum of its e-th argument, whatever the others hold.
        var four = TSimd.SumFour(va, vb, TSimd.Add(va, vb), TSimd.Broadcast(0.5f));
        Assert.Equal(a.Skip(1).Sum(), four.GetElement(0), 1e-4f);
        Assert.Equal(b.Skip(1).Sum(), four.GetElement(1), 1e-4f);
        Assert.Equal(sum, four.GetElement(2), 1e-4f);
        Assert.Equal(0.5f * count, four.GetElement(3));
        Assert.Equal(four.GetElement(0), TSimd.SumFour(va, va, va, va).GetElement(3));
    }
}
