using Occam.Layers;
using Occam.Tensors;

namespace Occam.Models;

/// <summary>
/// A stack of layers applied in order (Keras's Sequential, PyTorch's nn.Sequential).
/// Parameters are named "index.local", e.g. "0.weight".
/// </summary>
public sealed class Sequential : Layer
{
    private readonly Layer[] _layers;

    /// <summary>Creates a stack; call <see cref="Layer.Build"/> (or use <see cref="Create"/>) before use.</summary>
    public Sequential(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A Sequential model needs at least one layer.", nameof(layers));
        }

        _layers = layers;
    }

    /// <summary>Creates and builds a stack for the given per-example input shape with a seeded initialisation.</summary>
    public static Sequential Create(int[] inputShape, int seed, params Layer[] layers)
    {
        var model = new Sequential(layers);
        model.Build(inputShape, new Random(seed));
        return model;
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        int[] shape = inputShape.ToArray();
        for (int i = 0; i < _layers.Length; i++)
        {
            shape = _layers[i].Build(shape, random);
            AdoptParameters(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _layers[i]);
        }

        // Fuse each Dense → ReLU pair: the Dense writes max(0, y) while its output is in cache, the ReLU passes it on.
        for (int i = 0; i + 1 < _layers.Length; i++)
        {
            if (_layers[i] is Dense dense && _layers[i + 1] is ReLU relu)
            {
                dense.RectifiesOutput = true;
                relu.InputIsRectified = true;
            }
        }

        _layers[0].ComputeInputGradient = ComputeInputGradient;
        return shape;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x, training);
        }

        return x;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        _layers[0].ComputeInputGradient = ComputeInputGradient;
        var g = outputGrad;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            g = _layers[i].Backward(g);
        }

        return g;
    }

    /// <inheritdoc />
    public override long MultiplyAccumulates(bool liveOnly)
    {
        long total = 0;
        foreach (var layer in _layers)
        {
            total += layer.MultiplyAccumulates(liveOnly);
        }

        return total;
    }
}
