using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Max pooling over non-overlapping square windows (stride = pool size) of images [channels, height, width].
/// Odd remainders are dropped (floor), as in PyTorch's MaxPool2d and Keras's 'valid' pooling. Backward routes
/// each gradient to the input that won its window (the first one on ties).
/// </summary>
public sealed class MaxPool2D : Layer
{
    private readonly int _poolSize;
    private int _channels, _height, _width, _outHeight, _outWidth;
    private int[] _winners = [];
    private Tensor? _output;
    private Tensor? _inputGrad;

    /// <summary>Creates a pooling layer with <paramref name="poolSize"/>×<paramref name="poolSize"/> windows.</summary>
    public MaxPool2D(int poolSize = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        _poolSize = poolSize;
    }

    /// <summary>Window height and width, which is also the stride.</summary>
    public int PoolSize => _poolSize;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        if (inputShape.Length != 3)
        {
            throw new ArgumentException($"MaxPool2D expects images [channels, height, width], got rank {inputShape.Length}.", nameof(inputShape));
        }

        (_channels, _height, _width) = (inputShape[0], inputShape[1], inputShape[2]);
        (_outHeight, _outWidth) = (_height / _poolSize, _width / _poolSize);
        if (_outHeight == 0 || _outWidth == 0)
        {
            throw new ArgumentException($"Images of {_height}×{_width} are smaller than the {_poolSize}×{_poolSize} pool.", nameof(inputShape));
        }

        return [_channels, _outHeight, _outWidth];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        if (_winners.Length < output.Length)
        {
            _winners = new int[output.Length];
        }

        var x = input.Span;
        var y = output.Span;
        int planes = input.Batch * _channels;
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            int planeStart = plane * _height * _width;
            for (int oy = 0; oy < _outHeight; oy++)
            {
                for (int ox = 0; ox < _outWidth; ox++, o++)
                {
                    int topLeft = planeStart + oy * _poolSize * _width + ox * _poolSize;
                    int winner = topLeft;
                    float best = x[topLeft];
                    for (int dy = 0; dy < _poolSize; dy++)
                    {
                        int rowStart = topLeft + dy * _width;
                        for (int dx = 0; dx < _poolSize; dx++)
                        {
                            if (x[rowStart + dx] > best)
                            {
                                best = x[rowStart + dx];
                                winner = rowStart + dx;
                            }
                        }
                    }

                    y[o] = best;
                    _winners[o] = winner;
                }
            }
        }

        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var inputGrad = EnsureBuffer(ref _inputGrad, outputGrad.Batch, InputShape);
        var dx = inputGrad.Span;
        var dy = outputGrad.Span;
        dx.Clear();
        for (int o = 0; o < dy.Length; o++)
        {
            dx[_winners[o]] = dy[o];
        }

        return inputGrad;
    }
}
