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

    // For each layer index, the index of a narrow Dense that an inference pass may compute inside it (see Forward), or -1.
    private int[] _headAt = [];

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

        _headAt = new int[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            _headAt[i] = HeadAfter(i);
        }

        _layers[0].ComputeInputGradient = ComputeInputGradient;
        return shape;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        // Set before the first forward too: the first layer's kernel choice depends on whether it computes an input gradient.
        _layers[0].ComputeInputGradient = ComputeInputGradient;
        var x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            // At inference a sparse Dense computes a narrow Dense after it from its output tiles (SparseHead), and
            // the ReLU and dropout between them are what the fused pass already does (rectify) or nothing (dropout).
            if (!training && _headAt[i] >= 0 && ((Dense)_layers[i]).ForwardThroughHead(x, (Dense)_layers[_headAt[i]]) is { } z)
            {
                x = z;
                i = _headAt[i];
                continue;
            }

            x = _layers[i].Forward(x, training);
        }

        return x;
    }

    /// <summary>
    /// The index of the Dense that layer <paramref name="i"/> can carry as a head at inference: layer i is a Dense on
    /// flat features followed by a ReLU it rectifies, then optionally dropout, then a Dense of at most
    /// <see cref="Kernels.SparseLinear.MaxHeadRows"/> outputs that does not rectify its own output (the fused pass
    /// writes the head's y = W·h + b as it is, so a ReLU after the head would be skipped); else -1.
    /// </summary>
    private int HeadAfter(int i)
    {
        if (_layers[i] is not Dense { RectifiesOutput: true } dense || dense.InputShape.Length != 1)
        {
            return -1;
        }

        int next = i + 2;
        if (next < _layers.Length && _layers[next] is Dropout)
        {
            next++;
        }

        return next < _layers.Length && _layers[next] is Dense { RectifiesOutput: false } head && head.OutFeatures <= Kernels.SparseLinear.MaxHeadRows
            ? next
            : -1;
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
