using Occam.Kernels;
using Occam.Optimizers;
using Occam.Tensors;
using Occam.Tests.Layers;

namespace Occam.Tests.Optimizers;

// It changes the kernel thread count, which keys the kernel calibration of every test running beside it.
[Collection(nameof(KernelCalibrationCollection))]
public class AdamTests
{
    private static readonly float[][] Gradients = [[0.5f, -1f, 2f], [0.25f, 0.5f, -1f], [-0.75f, 1f, 0.1f]];
    private static readonly float[] Start = [1f, -2f, 0.5f];

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(false, 0.1f)]
    [InlineData(true, 0.1f)]
    public void ThreeStepsFollowPyTorchFormulas(bool decoupled, float weightDecay)
    {
        const float lr = 0.01f, b1 = 0.8f, b2 = 0.95f, eps = 1e-3f;
        var p = new Parameter("w", true, 3);
        Start.CopyTo(p.Value.Span);
        Adam adam = decoupled
            ? new AdamW([p], lr, b1, b2, eps, weightDecay)
            : new Adam([p], lr, b1, b2, eps, weightDecay);

        // torch.optim.Adam / AdamW: AdamW first scales w by (1 − lr·wd), Adam adds wd·w to g; then
        // m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²; w −= lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε).
        double[] w = [.. Start.Select(v => (double)v)];
        double[] m = new double[3], v = new double[3];
        for (int step = 0; step < Gradients.Length; step++)
        {
            Gradients[step].CopyTo(p.Grad.Span);
            adam.Step();
            int t = step + 1;
            for (int i = 0; i < 3; i++)
            {
                double g = Gradients[step][i];
                if (decoupled)
                {
                    w[i] *= 1 - (double)lr * weightDecay;
                }
                else
                {
                    g += weightDecay * w[i];
                }

                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
                w[i] -= lr / (1 - Math.Pow(b1, t)) * m[i] / denom;
                Assert.Equal(w[i], p.Value.Span[i], 5);
            }
        }

        var state = adam.State(p);
        Assert.Equal(2, state.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(m[i], state[0].Span[i], 5);
            Assert.Equal(v[i], state[1].Span[i], 5);
        }
    }

    [Fact]
    public void TheFirstStepMovesEachWeightByTheLearningRate()
    {
        // With bias correction the first Adam step is lr·sign(g) (up to ε), whatever the gradient's scale.
        var p = new Parameter("w", true, 2);
        p.Grad.Span[0] = 1e-3f;
        p.Grad.Span[1] = -50f;
        new Adam([p], learningRate: 0.1f).Step();
        Assert.Equal(-0.1f, p.Value.Span[0], 4);
        Assert.Equal(0.1f, p.Value.Span[1], 4);
    }

    [Fact]
    public void VectorAndScalarLanesGiveBitIdenticalUpdates()
    {
        // 37 elements: a vector body and a scalar tail. Identical inputs must give identical bits everywhere.
        var p = new Parameter("w", true, 37);
        var adam = new AdamW([p], 0.003f, weightDecay: 0.1f);
        p.Value.Span.Fill(0.7f);
        for (int step = 0; step < 5; step++)
        {
            p.Grad.Span.Fill(0.3f - 0.2f * step);
            adam.Step();
        }

        int first = BitConverter.SingleToInt32Bits(p.Value.Span[0]);
        Assert.All(p.Value.Span.ToArray(), x => Assert.Equal(first, BitConverter.SingleToInt32Bits(x)));
        Assert.NotEqual(0.7f, p.Value.Span[0]);
    }

    [Fact]
    public void AStepSplitAcrossThreadsGivesTheSameBitsAsOneThread()
    {
        // 200 000 elements: above the size at which the update is split into chunks over the kernel threads.
        float[] Train(int threads)
        {
            using var scope = Parallelism.Use(threads);
            var p = new Parameter("w", true, 200_000);
            var random = new Random(2);
            for (int i = 0; i < p.Value.Length; i++)
            {
                p.Value.Span[i] = (float)random.NextDouble();
            }

            var adam = new Adam([p], 0.01f);
            for (int step = 0; step < 3; step++)
            {
                for (int i = 0; i < p.Grad.Length; i++)
                {
                    p.Grad.Span[i] = (float)(random.NextDouble() - 0.5);
                }

                adam.Step();
            }

            return p.Value.Span.ToArray();
        }

        var one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(3));
    }
}
