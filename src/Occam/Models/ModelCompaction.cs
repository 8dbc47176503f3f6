using Occam.Layers;
using Occam.Tensors;

namespace Occam.Models;

/// <summary>
/// Physically removes the neurons and channels that structured pruning killed, so the compacted model runs the
/// dense kernels at its smaller size. A unit of a Dense (or Conv2D) layer followed — through element-wise layers
/// (ReLU, Tanh, GELU, Dropout; and MaxPool2D between convolutions) — by another layer of the same kind is removed,
/// with the next layer's matching inputs, when the next layer no longer reads it, or when its own weights are all
/// zero: it then outputs the constant activation(bias), which for Dense is folded into the next layer's bias; for
/// convolutions (whose zero padding makes a constant map position-dependent) only a constant of zero is removed.
/// </summary>
/// <remarks>
/// The result computes the same function in inference (up to float rounding where a constant is folded); masks are
/// carried over for the entries kept. Supported layers: Dense, Conv2D, ReLU, Tanh, GELU, Dropout, MaxPool2D, Flatten.
/// </remarks>
public static class ModelCompaction
{
    /// <summary>A new, built model without the dead units of <paramref name="model"/> (which is left unchanged).</summary>
    public static Sequential Compact(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsBuilt)
        {
            throw new ArgumentException("The model must be built.", nameof(model));
        }

        var layers = model.Layers;
        // keep[i]: which output units of weight layer i survive (null: all, or not a weight layer).
        var keep = new bool[layers.Count][];
        // Per next layer: bias additions from folded constant units.
        var biasShift = new float[layers.Count][];
        for (int a = 0; a < layers.Count; a++)
        {
            int b = NextWeightLayer(layers, a);
            if (b < 0)
            {
                continue;
            }

            keep[a] = ChooseUnits(layers, a, b, out biasShift[b]);
        }

        var rebuilt = new Layer[layers.Count];
        bool[]? inputsKept = null;
        for (int i = 0; i < layers.Count; i++)
        {
            rebuilt[i] = layers[i] switch
            {
                Dense d => new Dense(keep[i] is { } k ? Count(k) : d.OutFeatures, d.Bias is not null) { KernelPath = d.KernelPath },
                Conv2D c => new Conv2D(keep[i] is { } k ? Count(k) : c.Filters, c.KernelSize, c.Padding, c.Bias is not null) { KernelPath = c.KernelPath },
                ReLU => new ReLU(),
                Tanh => new Tanh(),
                GELU => new GELU(),
                Dropout dropout => new Dropout(dropout.Rate, dropout.Seed),
                MaxPool2D pool => new MaxPool2D(pool.PoolSize),
                Flatten => new Flatten(),
                _ => throw new NotSupportedException($"Compaction does not know {layers[i].GetType().Name}."),
            };
        }

        var compact = Sequential.Create(model.InputShape.ToArray(), 0, rebuilt);
        for (int i = 0; i < layers.Count; i++)
        {
            switch (layers[i])
            {
                case Dense d:
                    CopyWeight(d.Weight, ((Dense)rebuilt[i]).Weight, d.OutFeatures, d.InFeatures, 1, keep[i], inputsKept);
                    CopyBias(d.Bias, ((Dense)rebuilt[i]).Bias, keep[i], biasShift[i]);
                    inputsKept = keep[i];
                    break;
                case Conv2D c:
                    int area = c.KernelSize * c.KernelSize;
                    CopyWeight(c.Weight, ((Conv2D)rebuilt[i]).Weight, c.Filters, c.Weight.Length / c.Filters / area, area, keep[i], inputsKept);
                    CopyBias(c.Bias, ((Conv2D)rebuilt[i]).Bias, keep[i], biasShift[i]);
                    inputsKept = keep[i];
                    break;
                case Flatten:
                    inputsKept = null;
                    break;
            }
        }

        return compact;
    }

    /// <summary>The next Dense/Conv2D after <paramref name="a"/> of the same kind reached only through unit-preserving layers, or −1.</summary>
    private static int NextWeightLayer(IReadOnlyList<Layer> layers, int a)
    {
        if (layers[a] is not (Dense or Conv2D))
        {
            return -1;
        }

        bool convolution = layers[a] is Conv2D;
        for (int i = a + 1; i < layers.Count; i++)
        {
            switch (layers[i])
            {
                case ReLU or Tanh or GELU or Dropout:
                    continue;
                case MaxPool2D when convolution:
                    continue;
                case Dense when !convolution:
                case Conv2D when convolution:
                    return i;
                default:
                    return -1;
            }
        }

        return -1;
    }

    private static bool[] ChooseUnits(IReadOnlyList<Layer> layers, int a, int b, out float[] biasShift)
    {
        var (weightA, biasA, units) = layers[a] switch
        {
            Dense d => (d.Weight, d.Bias, d.OutFeatures),
            Conv2D c => (c.Weight, c.Bias, c.Filters),
            _ => throw new InvalidOperationException(),
        };
        var (weightB, biasB, outputsB) = layers[b] switch
        {
            Dense d => (d.Weight, d.Bias, d.OutFeatures),
            Conv2D c => (c.Weight, c.Bias, c.Filters),
            _ => throw new InvalidOperationException(),
        };
        int rowA = weightA.Length / units;
        int inputsB = weightB.Length / outputsB;
        int area = inputsB / units;
        var constants = Constants(layers, a, b, biasA, units);
        biasShift = new float[outputsB];
        var keep = new bool[units];
        var wa = weightA.Value.Span;
        var wb = weightB.Value.Span;
        for (int u = 0; u < units; u++)
        {
            bool read = false;
            for (int o = 0; o < outputsB && !read; o++)
            {
                read = wb.Slice(o * inputsB + u * area, area).ContainsAnyExcept(0f);
            }

            bool dead = !wa.Slice(u * rowA, rowA).ContainsAnyExcept(0f);
            bool foldable = constants[u] == 0f || (layers[b] is Dense && biasB is not null);
            keep[u] = read && !(dead && foldable);
            if (read && dead && foldable && constants[u] != 0f)
            {
                for (int o = 0; o < outputsB; o++)
                {
                    biasShift[o] += constants[u] * wb[o * inputsB + u];
                }
            }
        }

        if (!keep.Contains(true))
        {
            // A layer needs at least one unit; unit 0 then outputs its constant, which the next layer reads as before.
            keep[0] = true;
            if (constants[0] != 0f && layers[b] is Dense)
            {
                for (int o = 0; o < outputsB; o++)
                {
                    biasShift[o] -= constants[0] * wb[o * inputsB];
                }
            }
        }

        return keep;
    }

    /// <summary>What a unit with all-zero weights outputs after the layers between a and b in inference: f(bias).</summary>
    private static float[] Constants(IReadOnlyList<Layer> layers, int a, int b, Parameter? bias, int units)
    {
        var values = new float[units];
        if (bias is null)
        {
            return values;
        }

        var x = Tensor.From(bias.Value.Span, 1, units);
        for (int i = a + 1; i < b; i++)
        {
            // Pooling a constant map and dropout in inference leave the constant as it is.
            Layer? fresh = layers[i] switch
            {
                ReLU => new ReLU(),
                Tanh => new Tanh(),
                GELU => new GELU(),
                _ => null,
            };
            if (fresh is null)
            {
                continue;
            }

            fresh.Build([units], new Random(0));
            x = fresh.Forward(x, training: false).Clone();
        }

        x.Span.CopyTo(values);
        return values;
    }

    private static int Count(bool[] keep) => keep.Count(k => k);

    /// <summary>Copies the kept rows (outputs) and kept input blocks of a [outputs, inputs·area] weight and its mask.</summary>
    private static void CopyWeight(Parameter source, Parameter target, int outputs, int inputs, int area, bool[]? rowsKept, bool[]? inputsKept)
    {
        int sourceRow = inputs * area;
        int targetRow = target.Length / (rowsKept is null ? outputs : Count(rowsKept));
        if (source.Mask is not null)
        {
            target.Mask = new Tensor(target.Length);
        }

        int t = 0;
        for (int o = 0; o < outputs; o++)
        {
            if (rowsKept is not null && !rowsKept[o])
            {
                continue;
            }

            int column = 0;
            for (int i = 0; i < inputs; i++)
            {
                if (inputsKept is not null && !inputsKept[i])
                {
                    continue;
                }

                int from = o * sourceRow + i * area;
                int to = t * targetRow + column * area;
                source.Value.Span.Slice(from, area).CopyTo(target.Value.Span.Slice(to, area));
                source.Mask?.Span.Slice(from, area).CopyTo(target.Mask!.Span.Slice(to, area));
                column++;
            }

            t++;
        }

        target.MarkChanged();
    }

    private static void CopyBias(Parameter? source, Parameter? target, bool[]? kept, float[]? shift)
    {
        if (source is null || target is null)
        {
            return;
        }

        int t = 0;
        for (int o = 0; o < source.Length; o++)
        {
            if (kept is null || kept[o])
            {
                target.Value.Span[t++] = source.Value.Span[o] + (shift?[o] ?? 0f);
            }
        }
    }
}
