using Occam.Layers;
using Occam.Losses;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Losses;

public class RegressionLossTests
{
    public static TheoryData<string> Losses => new() { "mse", "huber" };

    private static IRegressionLoss Create(string name) => name == "mse" ? new MeanSquaredError() : new HuberLoss(0.7);

    [Theory]
    [MemberData(nameof(Losses))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var predictions = new Tensor(8, 1);
        Initialize.Uniform(predictions.Span, 2f, new Random(3));
        float[] targets = [0.1f, -1.5f, 2f, 0.3f, -0.2f, 1.1f, -2.4f, 0.9f];
        var loss = Create(name);
        loss.Forward(predictions, targets);
        var analytic = loss.Backward().Span.ToArray();

        // The residuals lie far from the Huber kink compared with the step, so central differences are exact there.
        GradientCheck.CheckScalar(predictions, analytic, () => loss.Forward(predictions, targets));
    }

    [Fact]
    public void MeanSquaredErrorIsTheMeanOfSquaredResiduals()
    {
        var perRow = new float[2];
        float loss = new MeanSquaredError().Forward(Tensor.From([1f, 5f], 2, 1), [0f, 2f], perRow);
        Assert.Equal([1f, 9f], perRow);
        Assert.Equal(5f, loss, 6);
    }

    [Fact]
    public void HuberIsQuadraticInsideDeltaAndLinearOutside()
    {
        var perRow = new float[2];
        var huber = new HuberLoss(1.0);
        huber.Forward(Tensor.From([0.5f, -3f], 2, 1), [0f, 0f], perRow);
        Assert.Equal(0.125f, perRow[0], 6);
        Assert.Equal(2.5f, perRow[1], 6);
        // Outside delta the gradient is ±delta / rows: large residuals pull no harder than delta.
        Assert.Equal([0.25f, -0.5f], huber.Backward().Span.ToArray());
    }

    [Fact]
    public void CreateChoosesHuberOnlyWithADelta()
    {
        Assert.IsType<MeanSquaredError>(RegressionLoss.Create(null));
        Assert.Equal(2.0, Assert.IsType<HuberLoss>(RegressionLoss.Create(2.0)).Delta);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HuberLoss(0));
    }
}
