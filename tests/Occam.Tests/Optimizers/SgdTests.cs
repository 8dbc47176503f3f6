using Occam.Optimizers;
using Occam.Tensors;

namespace Occam.Tests.Optimizers;

public class SgdTests
{
    private static readonly float[][] Gradients = [[0.5f, -1f, 2f], [0.25f, 0.5f, -1f], [-0.75f, 1f, 0.1f]];
    private static readonly float[] Start = [1f, -2f, 0.5f];

    [Theory]
    [InlineData(0f, false, 0f)]
    [InlineData(0f, false, 0.1f)]
    [InlineData(0.9f, false, 0f)]
    [InlineData(0.9f, false, 0.05f)]
    [InlineData(0.8f, true, 0.05f)]
    public void ThreeStepsFollowPyTorchFormulas(float momentum, bool nesterov, float weightDecay)
    {
        const float lr = 0.1f;
        var p = new Parameter("w", true, 3);
        Start.CopyTo(p.Value.Span);
        var sgd = new Sgd([p], lr, momentum, nesterov, weightDecay);

        // torch.optim.SGD (dampening 0): d = g + wd·w; buf = d on step 1, else μ·buf + d;
        // d = d + μ·buf (Nesterov) or buf; w -= lr·d.
        double[] w = [.. Start.Select(v => (double)v)];
        double[] buf = new double[3];
        for (int step = 0; step < Gradients.Length; step++)
        {
            Gradients[step].CopyTo(p.Grad.Span);
            sgd.Step();
            for (int i = 0; i < 3; i++)
            {
                double d = Gradients[step][i] + weightDecay * w[i];
                if (momentum != 0f)
                {
                    buf[i] = step == 0 ? d : momentum * buf[i] + d;
                    d = nesterov ? d + momentum * buf[i] : buf[i];
                }

                w[i] -= lr * d;
                Assert.Equal(w[i], p.Value.Span[i], 5);
            }
        }

        Assert.Equal(3, sgd.StepCount);
        if (momentum == 0f)
        {
            Assert.Empty(sgd.State(p));
        }
        else
        {
            var state = Assert.Single(sgd.State(p));
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(buf[i], state.Span[i], 5);
            }
        }
    }

    [Theory]
    [InlineData(0f, false, 0.1f)]
    [InlineData(0.9f, false, 0.05f)]
    [InlineData(0.8f, true, 0.05f)]
    public void AVectorisedStepGivesTheBitsOfTheScalarFormula(float momentum, bool nesterov, float weightDecay)
    {
        // 37 entries: whole vectors of every width and a scalar tail.
        const float lr = 0.1f;
        var random = new Random(4);
        var p = new Parameter("w", true, 37);
        var w = new float[37];
        var b = new float[37];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = p.Value.Span[i] = (float)random.NextDouble() - 0.5f;
        }

        var sgd = new Sgd([p], lr, momentum, nesterov, weightDecay);
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                float g = p.Grad.Span[i] = (float)random.NextDouble() - 0.5f;
                float d = g + (weightDecay * w[i]);
                if (momentum != 0f)
                {
                    b[i] = (momentum * b[i]) + d;
                    d = nesterov ? d + (momentum * b[i]) : b[i];
                }

                w[i] -= lr * d;
            }

            sgd.Step();
            Assert.Equal(w, p.Value.Span.ToArray());
        }
    }

    [Fact]
    public void NesterovWithoutMomentumIsRejected() =>
        Assert.Throws<ArgumentException>(() => new Sgd([new Parameter("w", true, 1)], nesterov: true));

    [Fact]
    public void TheScheduleScalesTheStep()
    {
        var p = new Parameter("w", true, 1);
        var sgd = new Sgd([p], 1f, schedule: new CosineSchedule(warmupSteps: 4, totalSteps: 10));
        p.Grad.Span[0] = 1f;
        sgd.Step();
        Assert.Equal(-0.25f, p.Value.Span[0]);
    }
}
