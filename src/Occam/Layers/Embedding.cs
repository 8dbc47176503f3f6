using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Token embedding (PyTorch's nn.Embedding): maps integer ids, stored as exact floats, to rows of a learned table.
/// Input [batch, positions…] of ids in [0, vocabularySize); output [batch, positions…, embeddingDim].
/// The table is "weight" [vocabularySize, embeddingDim], initialised N(0, 0.02²) as in GPT-2, and is not prunable.
/// </summary>
public sealed class Embedding : Layer
{
    private readonly int _vocabularySize;
    private readonly int _embeddingDim;
    private Parameter? _weight;
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _inputGrad;

    /// <summary>Creates an embedding of <paramref name="vocabularySize"/> ids into <paramref name="embeddingDim"/> features.</summary>
    public Embedding(int vocabularySize, int embeddingDim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        _vocabularySize = vocabularySize;
        _embeddingDim = embeddingDim;
    }

    /// <summary>The table, [vocabularySize, embeddingDim].</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException("Embedding is not built yet.");

    /// <summary>Number of distinct ids.</summary>
    public int VocabularySize => _vocabularySize;

    /// <summary>Features per id.</summary>
    public int EmbeddingDim => _embeddingDim;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        _weight = AddParameter("weight", isPrunable: false, _vocabularySize, _embeddingDim);
        Initialize.Normal(_weight.Value.Span, 0.02f, random);
        return [.. inputShape, _embeddingDim];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        var ids = input.Span;
        var table = Weight.Value.Span;
        var y = output.Span;
        int d = _embeddingDim;
        for (int i = 0; i < ids.Length; i++)
        {
            table.Slice(Id(ids[i]) * d, d).CopyTo(y.Slice(i * d, d));
        }

        return output;
    }

    /// <summary>
    /// Scatter-adds the output gradient into the table's gradient. Ids are not differentiable: the returned
    /// input gradient is all zeros.
    /// </summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var input = _input ?? throw new InvalidOperationException("Backward before forward.");
        var ids = input.Span;
        var dTable = Weight.Grad.Span;
        var dy = outputGrad.Span;
        int d = _embeddingDim;
        dTable.Clear();
        for (int i = 0; i < ids.Length; i++)
        {
            var row = dTable.Slice(Id(ids[i]) * d, d);
            TensorPrimitives.Add(row, dy.Slice(i * d, d), row);
        }

        var inputGrad = EnsureBuffer(ref _inputGrad, input.Batch, InputShape);
        inputGrad.Clear();
        return inputGrad;
    }

    private int Id(float value)
    {
        int id = (int)value;
        if (id != value || (uint)id >= (uint)_vocabularySize)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Token id must be an integer in [0, {_vocabularySize}).");
        }

        return id;
    }
}
