using Occam.Layers;
using Occam.Losses;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Losses;

public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var logits = new Tensor(4, 5);
        Initialize.Uniform(logits.Span, 3f, new Random(1));
        int[] labels = [0, 3, 4, 3];
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(logits, labels);
        var analytic = loss.Backward().Span.ToArray();

        GradientCheck.CheckScalar(logits, analytic, () => loss.Forward(logits, labels));
    }

    [Fact]
    public void LossIsTheMeanNegativeLogProbability()
    {
        var logits = Tensor.From([0f, 0f, 0f, 1000f, 0f, 0f], 2, 3);
        var perRow = new float[2];
        float loss = new SoftmaxCrossEntropy().Forward(logits, [0, 0], perRow);
        // Row 0 is uniform (ln 3); row 1 puts all mass on class 0; no overflow despite the large logits.
        Assert.Equal(MathF.Log(3f), perRow[0], 5);
        Assert.Equal(0f, perRow[1], 5);
        Assert.Equal(MathF.Log(3f) / 2, loss, 5);
    }
}
