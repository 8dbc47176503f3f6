namespace Occam.Cli.Specs;

/// <summary>A parsed <c>--model</c> value: <c>mlp:H1[,H2…]</c>, <c>cnn:N</c> or <c>gpt:LAYERS,HEADS,EMBED,CONTEXT</c>.</summary>
internal abstract record ModelSpec
{
    /// <summary>The data families this architecture can be trained on.</summary>
    public abstract bool Fits(DataFamily family);
}

/// <summary>A multilayer perceptron: Dense → ReLU → Dropout per hidden size, then a Dense classifier.</summary>
/// <param name="HiddenSizes">Widths of the hidden layers, input side first; at least one.</param>
internal sealed record MlpSpec(IReadOnlyList<int> HiddenSizes) : ModelSpec
{
    /// <inheritdoc />
    public override bool Fits(DataFamily family) => family is DataFamily.Images or DataFamily.Tabular;

    /// <inheritdoc />
    public bool Equals(MlpSpec? other) => other is not null && HiddenSizes.SequenceEqual(other.HiddenSizes);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (int size in HiddenSizes)
        {
            hash.Add(size);
        }

        return hash.ToHashCode();
    }

    /// <summary>The spec as the user would write it.</summary>
    public override string ToString() => "mlp:" + string.Join(',', HiddenSizes);
}

/// <summary>
/// The reference CNN: conv3x3(N) → maxpool2 → conv3x3(2N) → maxpool2 → conv3x3(2N) → dense(2N) → classes, ReLU everywhere.
/// </summary>
/// <param name="Channels">N, the first convolution's channel count.</param>
internal sealed record CnnSpec(int Channels) : ModelSpec
{
    /// <inheritdoc />
    public override bool Fits(DataFamily family) => family is DataFamily.Images;

    /// <summary>The spec as the user would write it.</summary>
    public override string ToString() => $"cnn:{Channels}";
}

/// <summary>A character-level GPT: pre-LayerNorm blocks with causal multi-head attention and a GELU MLP.</summary>
/// <param name="Layers">Number of transformer blocks.</param>
/// <param name="Heads">Attention heads per block; divides <paramref name="Embedding"/>.</param>
/// <param name="Embedding">Embedding width.</param>
/// <param name="Context">Context length in characters.</param>
internal sealed record GptSpec(int Layers, int Heads, int Embedding, int Context) : ModelSpec
{
    /// <inheritdoc />
    public override bool Fits(DataFamily family) => family is DataFamily.Text;

    /// <summary>The spec as the user would write it.</summary>
    public override string ToString() => $"gpt:{Layers},{Heads},{Embedding},{Context}";
}
