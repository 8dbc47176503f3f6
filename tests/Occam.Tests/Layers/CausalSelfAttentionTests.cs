using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Occam.Tests.Layers;

public class CausalSelfAttentionTests
{
    private static (CausalSelfAttention Layer, Tensor Input) Setup(int batch, int positions, int features, int heads, int seed = 1)
    {
        var layer = new CausalSelfAttention(heads);
        layer.Build([positions, features], new Random(seed));
        var input = new Tensor(batch, positions, features);
        Initialize.Uniform(input.Span, 1f, new Random(seed + 1));
        return (layer, input);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var (layer, input) = Setup(2, 5, 8, heads: 2);
        // Larger weights than the default make the attention far from uniform, so the softmax backward matters.
        foreach (var p in layer.Parameters)
        {
            TensorPrimitives.Multiply(p.Value.Span, 3f, p.Value.Span);
        }

        GradientCheck.Check(layer, input, step: 3e-3f, tolerance: 1e-2, samples: 60);
    }

    [Fact]
    public void OutputAtAPositionIgnoresLaterPositions()
    {
        const int positions = 6;
        var (layer, input) = Setup(2, positions, 8, heads: 2);
        float[] reference = layer.Forward(input, training: false).Span.ToArray();
        var random = new Random(9);
        for (int t = 0; t < positions - 1; t++)
        {
            var changed = input.Clone();
            for (int b = 0; b < 2; b++)
            {
                Initialize.Uniform(changed.Span.Slice((b * positions + t + 1) * 8, (positions - t - 1) * 8), 5f, random);
            }

            var y = layer.Forward(changed, training: false).Span;
            for (int b = 0; b < 2; b++)
            {
                int visible = (t + 1) * 8;
                Assert.Equal(reference.AsSpan(b * positions * 8, visible).ToArray(), y.Slice(b * positions * 8, visible).ToArray());
                // The later positions do see the change (the test would be vacuous otherwise).
                Assert.NotEqual(reference.AsSpan(b * positions * 8 + visible, 8).ToArray(), y.Slice(b * positions * 8 + visible, 8).ToArray());
            }
        }
    }

    [Fact]
    public void MatchesANaiveReference()
    {
        const int batch = 2, positions = 4, features = 6, heads = 3, headDim = 2;
        var (layer, input) = Setup(batch, positions, features, heads);
        var y = layer.Forward(input, training: false).Span.ToArray();

        float[] w = layer.Qkv.Weight.Value.Span.ToArray(), bias = layer.Qkv.Bias!.Value.Span.ToArray();
        float[] pw = layer.Proj.Weight.Value.Span.ToArray(), pb = layer.Proj.Bias!.Value.Span.ToArray();
        float[] x = input.Span.ToArray();
        for (int b = 0; b < batch; b++)
        {
            // qkv[t, j] = Σ_i x[t, i]·W[j, i] + bias[j]
            var qkv = new double[positions, 3 * features];
            for (int t = 0; t < positions; t++)
            {
                for (int j = 0; j < 3 * features; j++)
                {
                    double s = bias[j];
                    for (int i = 0; i < features; i++)
                    {
                        s += x[(b * positions + t) * features + i] * w[j * features + i];
                    }

                    qkv[t, j] = s;
                }
            }

            var concat = new double[positions, features];
            for (int h = 0; h < heads; h++)
            {
                for (int t = 0; t < positions; t++)
                {
                    var scores = new double[t + 1];
                    for (int u = 0; u <= t; u++)
                    {
                        for (int c = 0; c < headDim; c++)
                        {
                            scores[u] += qkv[t, h * headDim + c] * qkv[u, features + h * headDim + c];
                        }

                        scores[u] /= Math.Sqrt(headDim);
                    }

                    double max = scores.Max();
                    double total = scores.Sum(s => Math.Exp(s - max));
                    for (int u = 0; u <= t; u++)
                    {
                        double p = Math.Exp(scores[u] - max) / total;
                        for (int c = 0; c < headDim; c++)
                        {
                            concat[t, h * headDim + c] += p * qkv[u, 2 * features + h * headDim + c];
                        }
                    }
                }
            }

            for (int t = 0; t < positions; t++)
            {
                for (int j = 0; j < features; j++)
                {
                    double s = pb[j];
                    for (int i = 0; i < features; i++)
                    {
                        s += concat[t, i] * pw[j * features + i];
                    }

                    Assert.Equal(s, y[(b * positions + t) * features + j], 1e-5);
                }
            }
        }
    }

    [Fact]
    public void ProbabilitiesAreCausalAndNormalised()
    {
        var (layer, input) = Setup(2, 5, 8, heads: 2);
        layer.Forward(input, training: false);
        var p = layer.Probabilities;
        Assert.Equal([2, 2, 5, 5], p.Shape.ToArray());
        for (int row = 0; row < 2 * 2 * 5; row++)
        {
            int t = row % 5;
            var r = p.Span.Slice(row * 5, 5);
            Assert.Equal(1f, TensorPrimitives.Sum(r[..(t + 1)]), 1e-5f);
            Assert.All(r[(t + 1)..].ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void ParametersAreNamedAndFlaggedAsSpecified()
    {
        var (layer, _) = Setup(1, 5, 8, heads: 2);
        Assert.Equal(["qkv.weight", "qkv.bias", "proj.weight", "proj.bias"], layer.Parameters.Select(p => p.Name));
        Assert.Equal([true, false, true, false], layer.Parameters.Select(p => p.IsPrunable));
        Assert.Equal([24, 8], layer.Parameters[0].Value.Shape.ToArray());
        Assert.Equal([8, 8], layer.Parameters[2].Value.Shape.ToArray());
        // qkv 5·24·8 + proj 5·8·8 + scores and values over the causal pairs 8·5·6.
        Assert.Equal(960 + 320 + 240, layer.MultiplyAccumulates(liveOnly: false));
    }

    [Fact]
    public void RejectsFeaturesNotDivisibleByHeads()
    {
        Assert.Throws<ArgumentException>(() => new CausalSelfAttention(3).Build([4, 8], new Random(1)));
    }
}
