using System.Globalization;
using Occam.Layers;
using Occam.Tensors;

namespace Occam.Models;

/// <summary>
/// A small GPT (GPT-2 / nanoGPT layout): token embedding + learned positional embedding → N pre-LayerNorm
/// transformer blocks → final LayerNorm → linear head to vocabulary logits. Input [batch, contextLength] of token
/// ids stored as floats; output logits [batch, contextLength, vocabularySize], for
/// <see cref="Losses.SoftmaxCrossEntropy"/> with one label per position. Parameters: "token_embedding.weight",
/// "position_embedding.weight", "blocks.{i}.*" (see <see cref="TransformerBlock"/>), "final_norm.weight",
/// "final_norm.bias", "head.weight", "head.bias".
/// </summary>
public sealed class Gpt : Layer
{
    private readonly Embedding _tokenEmbedding;
    private readonly PositionalEmbedding _positionEmbedding;
    private readonly TransformerBlock[] _blocks;
    private readonly LayerNorm _finalNorm = new();
    private readonly Dense _head;

    /// <summary>Creates an unbuilt model; build it with input shape [contextLength], or use <see cref="Create"/>.</summary>
    public Gpt(int vocabularySize, int contextLength, int layers, int heads, int embeddingDim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (embeddingDim % heads != 0)
        {
            throw new ArgumentException($"The embedding size {embeddingDim} must be divisible by the {heads} heads.", nameof(embeddingDim));
        }

        VocabularySize = vocabularySize;
        ContextLength = contextLength;
        Heads = heads;
        EmbeddingDim = embeddingDim;
        _tokenEmbedding = new Embedding(vocabularySize, embeddingDim);
        _positionEmbedding = new PositionalEmbedding(contextLength);
        _blocks = new TransformerBlock[layers];
        for (int i = 0; i < layers; i++)
        {
            _blocks[i] = new TransformerBlock(heads);
        }

        _head = new Dense(vocabularySize);
    }

    /// <summary>Creates and builds a model for sequences of <paramref name="contextLength"/> tokens with a seeded initialisation.</summary>
    public static Gpt Create(int vocabularySize, int contextLength, int layers, int heads, int embeddingDim, int seed)
    {
        var model = new Gpt(vocabularySize, contextLength, layers, heads, embeddingDim);
        model.Build([contextLength], new Random(seed));
        return model;
    }

    /// <summary>Number of token ids (and logits per position).</summary>
    public int VocabularySize { get; }

    /// <summary>Positions per sequence.</summary>
    public int ContextLength { get; }

    /// <summary>Attention heads per block.</summary>
    public int Heads { get; }

    /// <summary>Features per position.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The token embedding.</summary>
    public Embedding TokenEmbedding => _tokenEmbedding;

    /// <summary>The positional embedding.</summary>
    public PositionalEmbedding PositionEmbedding => _positionEmbedding;

    /// <summary>The transformer blocks, in order.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _blocks;

    /// <summary>The norm after the last block.</summary>
    public LayerNorm FinalNorm => _finalNorm;

    /// <summary>The linear head to vocabulary logits.</summary>
    public Dense Head => _head;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        if (inputShape.Length != 1 || inputShape[0] != ContextLength)
        {
            throw new ArgumentException($"A GPT expects input [{ContextLength}] (token ids), got [{string.Join(", ", inputShape.ToArray())}].", nameof(inputShape));
        }

        int[] shape = _tokenEmbedding.Build(inputShape, random);
        AdoptParameters("token_embedding", _tokenEmbedding);
        _positionEmbedding.Build(shape, random);
        AdoptParameters("position_embedding", _positionEmbedding);
        for (int i = 0; i < _blocks.Length; i++)
        {
            _blocks[i].Build(shape, random);
            AdoptParameters("blocks." + i.ToString(CultureInfo.InvariantCulture), _blocks[i]);
        }

        _finalNorm.Build(shape, random);
        AdoptParameters("final_norm", _finalNorm);
        int[] output = _head.Build(shape, random);
        AdoptParameters("head", _head);
        InitializeLikeGpt2(random);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        var x = _positionEmbedding.Forward(_tokenEmbedding.Forward(input, training), training);
        foreach (var block in _blocks)
        {
            x = block.Forward(x, training);
        }

        return _head.Forward(_finalNorm.Forward(x, training), training);
    }

    /// <summary>Back-propagates the logits' gradient; the returned input gradient is zero (token ids are not differentiable).</summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        var g = _finalNorm.Backward(_head.Backward(outputGrad));
        for (int i = _blocks.Length - 1; i >= 0; i--)
        {
            g = _blocks[i].Backward(g);
        }

        return _tokenEmbedding.Backward(_positionEmbedding.Backward(g));
    }

    /// <summary>The blocks and the head (embedding lookups and norms are not weight products).</summary>
    public override long MultiplyAccumulates(bool liveOnly)
    {
        long total = _head.MultiplyAccumulates(liveOnly);
        foreach (var block in _blocks)
        {
            total += block.MultiplyAccumulates(liveOnly);
        }

        return total;
    }

    // GPT-2 / nanoGPT: projection weights N(0, 0.02²), biases zero, and the two projections that write into the
    // residual stream scaled by 1/√(2·layers) so the stream's variance does not grow with depth.
    private void InitializeLikeGpt2(Random random)
    {
        const float std = 0.02f;
        float residualStd = std / MathF.Sqrt(2f * _blocks.Length);
        foreach (var block in _blocks)
        {
            Reinitialize(block.Attention.Qkv, std, random);
            Reinitialize(block.Attention.Proj, residualStd, random);
            Reinitialize(block.MlpFc, std, random);
            Reinitialize(block.MlpProj, residualStd, random);
        }

        Reinitialize(_head, std, random);
    }

    private static void Reinitialize(Dense dense, float std, Random random)
    {
        Initialize.Normal(dense.Weight.Value.Span, std, random);
        dense.Bias?.Value.Clear();
    }
}
