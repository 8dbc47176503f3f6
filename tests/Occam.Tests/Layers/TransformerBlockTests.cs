using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Occam.Tests.Layers;

public class TransformerBlockTests
{
    private static (TransformerBlock Block, Tensor Input) Setup()
    {
        var block = new TransformerBlock(heads: 2);
        block.Build([4, 8], new Random(1));
        var input = new Tensor(2, 4, 8);
        Initialize.Uniform(input.Span, 1f, new Random(2));
        return (block, input);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var (block, input) = Setup();
        // Non-trivial norm gains and shifts so every path carries signal.
        foreach (var p in block.Parameters.Where(p => p.Name.StartsWith("ln", StringComparison.Ordinal)))
        {
            Initialize.Uniform(p.Value.Span, 1f, new Random(p.Name.Length));
            TensorPrimitives.Add(p.Value.Span, 0.5f, p.Value.Span);
        }

        GradientCheck.Check(block, input, step: 3e-3f, tolerance: 1e-2, samples: 30);
    }

    [Fact]
    public void ParametersAreNamedAndFlaggedAsSpecified()
    {
        var (block, _) = Setup();
        string[] names =
        [
            "ln1.weight", "ln1.bias", "attention.qkv.weight", "attention.qkv.bias", "attention.proj.weight", "attention.proj.bias",
            "ln2.weight", "ln2.bias", "mlp.fc.weight", "mlp.fc.bias", "mlp.proj.weight", "mlp.proj.bias",
        ];
        Assert.Equal(names, block.Parameters.Select(p => p.Name));
        var prunable = block.Parameters.Where(p => p.IsPrunable).Select(p => p.Name);
        Assert.Equal(["attention.qkv.weight", "attention.proj.weight", "mlp.fc.weight", "mlp.proj.weight"], prunable);
        Assert.Equal([32, 8], block.MlpFc.Weight.Value.Shape.ToArray());
        Assert.Equal([8, 32], block.MlpProj.Weight.Value.Shape.ToArray());
    }

    [Fact]
    public void BranchesWithZeroOutputProjectionsLeaveTheResidualStreamUnchanged()
    {
        var (block, input) = Setup();
        foreach (var dense in new[] { block.Attention.Proj, block.MlpProj })
        {
            dense.Weight.Value.Clear();
            dense.Bias!.Value.Clear();
        }

        Assert.Equal(input.Span.ToArray(), block.Forward(input, training: false).Span.ToArray());
    }

    [Fact]
    public void MlpRatioSetsTheHiddenWidth()
    {
        var block = new TransformerBlock(heads: 1, mlpRatio: 2);
        block.Build([3, 4], new Random(1));
        Assert.Equal([8, 4], block.MlpFc.Weight.Value.Shape.ToArray());
        // attention: 3·12·4 + 3·4·4 + 4·3·4; mlp: 3·8·4 + 3·4·8.
        Assert.Equal(144 + 48 + 48 + 96 + 96, block.MultiplyAccumulates(liveOnly: false));
    }
}
