using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Two-dimensional convolution with stride 1 (PyTorch's Conv2d, Keras's Conv2D) over images
/// [channels, height, width], computed per image as im2col followed by a matrix product:
/// y[filters, H'·W'] = W[filters, channels·k·k] · columns[channels·k·k, H'·W'] (+ bias per filter).
/// </summary>
/// <remarks>
/// A training forward keeps every image's column matrix for the batch, so backward reuses them instead of
/// repeating im2col; at the reference sizes (batch 32, up to 128 channels of 14×14 with 3×3 kernels) that is
/// tens of megabytes, a fair price for skipping a second im2col per step. An inference forward, whose batches
/// may be large, keeps one image's columns at a time; a backward after it recomputes the columns.
/// </remarks>
public sealed class Conv2D : Layer, ISparseKernelLayer
{
    private readonly int _filters;
    private readonly int _kernelSize;
    private readonly Padding _padding;
    private readonly bool _useBias;
    private Parameter? _weight;
    private Parameter? _bias;
    private int _channels, _height, _width, _outHeight, _outWidth, _padTop, _padLeft;
    private int[] _columnShape = [];
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _inputGrad;
    private Tensor? _batchColumns;
    private Tensor? _imageColumns;
    private Tensor? _columnsGrad;
    private bool _columnsCached;

    /// <summary>Creates a convolution with <paramref name="filters"/> output channels and a square kernel.</summary>
    public Conv2D(int filters, int kernelSize, Padding padding = Padding.Same, bool useBias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        if (!Enum.IsDefined(padding))
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding.");
        }

        _filters = filters;
        _kernelSize = kernelSize;
        _padding = padding;
        _useBias = useBias;
        Kernels = new KernelChoice(this);
    }

    /// <summary>The kernels, [filters, channels, k, k].</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException("Conv2D is not built yet.");

    /// <summary>The bias, [filters], or null without one.</summary>
    public Parameter? Bias => _bias;

    /// <summary>
    /// Which kernels run: by default the sparse product W[filters, channels·k·k] · columns once the kernels' mask is
    /// sparse enough that it is faster on this CPU (<see cref="KernelCalibration"/>), else the dense GEMM.
    /// </summary>
    public KernelPath KernelPath { get; set; } = KernelPath.Automatic;

    /// <summary>This layer's choice of kernels.</summary>
    internal KernelChoice Kernels { get; }

    /// <summary>True when the last forward pass ran the sparse kernels.</summary>
    public bool RanSparse { get; private set; }

    /// <summary>Output channels.</summary>
    public int Filters => _filters;

    /// <summary>Kernel height and width.</summary>
    public int KernelSize => _kernelSize;

    /// <summary>The border treatment.</summary>
    public Padding Padding => _padding;

    private int PatchLength => _channels * _kernelSize * _kernelSize;

    private int OutArea => _outHeight * _outWidth;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        if (inputShape.Length != 3)
        {
            throw new ArgumentException($"Conv2D expects images [channels, height, width], got rank {inputShape.Length}.", nameof(inputShape));
        }

        (_channels, _height, _width) = (inputShape[0], inputShape[1], inputShape[2]);
        if (_padding == Padding.Same)
        {
            // TensorFlow's rule: total padding k − 1, the odd one out at the bottom/right.
            (_outHeight, _outWidth) = (_height, _width);
            _padTop = _padLeft = (_kernelSize - 1) / 2;
        }
        else
        {
            if (_height < _kernelSize || _width < _kernelSize)
            {
                throw new ArgumentException($"A {_kernelSize}×{_kernelSize} 'valid' convolution needs images of at least that size, got {_height}×{_width}.", nameof(inputShape));
            }

            (_outHeight, _outWidth) = (_height - _kernelSize + 1, _width - _kernelSize + 1);
            _padTop = _padLeft = 0;
        }

        _columnShape = [PatchLength, OutArea];
        _weight = AddParameter("weight", isPrunable: true, _filters, _channels, _kernelSize, _kernelSize);
        // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = channels·k·k, for weight and bias.
        float bound = 1f / MathF.Sqrt(PatchLength);
        Initialize.Uniform(_weight.Value.Span, bound, random);
        if (_useBias)
        {
            _bias = AddParameter("bias", isPrunable: false, _filters);
            Initialize.Uniform(_bias.Value.Span, bound, random);
        }

        return [_filters, _outHeight, _outWidth];
    }

    string ISparseKernelLayer.CalibrationShape =>
        $"conv {_channels}x{_height}x{_width} {_kernelSize}x{_kernelSize} {_padding} to {_filters}{(_useBias ? "" : " no-bias")}{(ComputeInputGradient ? "" : " no-input-gradient")}";

    // Both paths loop over the images of a batch, so their ratio does not depend on the batch: time two.
    int ISparseKernelLayer.CalibrationRows(int rows) => 2;

    Layer ISparseKernelLayer.CreateTwin(KernelPath path, Random random)
    {
        var twin = new Conv2D(_filters, _kernelSize, _padding, _useBias) { KernelPath = path, ComputeInputGradient = ComputeInputGradient };
        twin.Build(InputShape, random);
        return twin;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        int batch = input.Batch;
        var output = EnsureBuffer(ref _output, batch, OutputShape);
        int inLength = _channels * _height * _width;
        int outLength = _filters * OutArea;
        int columnLength = PatchLength * OutArea;
        _columnsCached = training;
        var columnsBuffer = training
            ? EnsureBuffer(ref _batchColumns, batch, _columnShape)
            : EnsureBuffer(ref _imageColumns, 1, _columnShape);
        var x = input.Span;
        var y = output.Span;
        var selected = Kernels.Select(KernelPath, batch, training);
        RanSparse = Kernels.RunsSparse(selected, KernelPath, batch, training);
        var sparse = RanSparse ? selected : null;
        for (int b = 0; b < batch; b++)
        {
            int columnsOffset = training ? b * columnLength : 0;
            var columns = columnsBuffer.Span.Slice(columnsOffset, columnLength);
            LowerImage(x.Slice(b * inLength, inLength), columns);
            var image = y.Slice(b * outLength, outLength);
            if (sparse is not null)
            {
                SparseGemm.Multiply(sparse.Pattern, sparse.Values, columnsBuffer.Data.AsMemory(columnsOffset, columnLength), OutArea, OutArea,
                    output.Data.AsMemory(b * outLength, outLength), OutArea);
            }
            else
            {
                Gemm.Multiply(false, false, _filters, OutArea, PatchLength, Weight.Value.Span, PatchLength, columns, OutArea, image, OutArea, accumulate: false);
            }

            if (_bias is not null)
            {
                var bias = _bias.Value.Span;
                for (int f = 0; f < _filters; f++)
                {
                    var plane = image.Slice(f * OutArea, OutArea);
                    TensorPrimitives.Add(plane, bias[f], plane);
                }
            }
        }

        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var input = _input ?? throw new InvalidOperationException("Backward before forward.");
        int batch = input.Batch;
        int inLength = _channels * _height * _width;
        int outLength = _filters * OutArea;
        int columnLength = PatchLength * OutArea;
        var dy = outputGrad.Span;
        var dw = Weight.Grad.Span;
        var inputGrad = EnsureBuffer(ref _inputGrad, batch, InputShape);
        var columnsGradTensor = EnsureBuffer(ref _columnsGrad, 1, _columnShape);
        var columnsGrad = columnsGradTensor.Span;
        // Gradients go to the compact copy whichever kernels ran forward (backward does not depend on them).
        var sparse = Weight.Sparse is { } s && s.IsCurrent(Weight) ? s : null;
        if (batch == 0)
        {
            dw.Clear();
            sparse?.Grads.AsSpan().Clear();
        }

        for (int b = 0; b < batch; b++)
        {
            var imageGrad = dy.Slice(b * outLength, outLength);
            Span<float> columns;
            Memory<float> columnsMemory;
            if (_columnsCached)
            {
                columns = _batchColumns!.Span.Slice(b * columnLength, columnLength);
                columnsMemory = _batchColumns.Data.AsMemory(b * columnLength, columnLength);
            }
            else
            {
                var imageColumns = EnsureBuffer(ref _imageColumns, 1, _columnShape);
                columns = imageColumns.Span;
                columnsMemory = imageColumns.Data.AsMemory(0, columnLength);
                LowerImage(input.Span.Slice(b * inLength, inLength), columns);
            }

            if (sparse is not null)
            {
                // Live weights only: dW[f, p] += Σ_hw dY_b[f, hw]·columns_b[p, hw]; dcolumns = Wᵀ·dY_b by the column view.
                var imageGradMemory = outputGrad.Data.AsMemory(b * outLength, outLength);
                SparseGemm.SampledProduct(sparse.Pattern, imageGradMemory, OutArea, columnsMemory, OutArea, OutArea, sparse.Grads, accumulate: b > 0);
                if (ComputeInputGradient)
                {
                    SparseGemm.MultiplyTransposed(sparse.Pattern, sparse.Values, imageGradMemory, OutArea, OutArea, columnsGradTensor.Data, OutArea);
                    Im2Col.Backward(columnsGrad, _channels, _height, _width, _kernelSize, _padTop, _padLeft, _outHeight, _outWidth,
                        inputGrad.Span.Slice(b * inLength, inLength));
                }

                continue;
            }

            // dW[F, CKK] (+)= dY_b[F, HW] · columns_bᵀ[HW, CKK], summed over the batch.
            Gemm.Multiply(false, true, _filters, PatchLength, OutArea, imageGrad, OutArea, columns, OutArea, dw, PatchLength, accumulate: b > 0);
            if (ComputeInputGradient)
            {
                // dcolumns[CKK, HW] = Wᵀ[CKK, F] · dY_b[F, HW], folded back onto the pixels by col2im.
                Gemm.Multiply(true, false, PatchLength, OutArea, _filters, Weight.Value.Span, PatchLength, imageGrad, OutArea, columnsGrad, OutArea, accumulate: false);
                Im2Col.Backward(columnsGrad, _channels, _height, _width, _kernelSize, _padTop, _padLeft, _outHeight, _outWidth,
                    inputGrad.Span.Slice(b * inLength, inLength));
            }
        }

        sparse?.PublishGradients(Weight);
        if (_bias is not null)
        {
            var db = _bias.Grad.Span;
            db.Clear();
            for (int b = 0; b < batch; b++)
            {
                for (int f = 0; f < _filters; f++)
                {
                    db[f] += TensorPrimitives.Sum(dy.Slice(b * outLength + f * OutArea, OutArea));
                }
            }
        }

        return inputGrad;
    }

    /// <inheritdoc />
    public override long MultiplyAccumulates(bool liveOnly) =>
        (long)OutArea * (liveOnly ? Weight.CountNonzero() : Weight.Length);

    private void LowerImage(ReadOnlySpan<float> image, Span<float> columns) =>
        Im2Col.Forward(image, _channels, _height, _width, _kernelSize, _padTop, _padLeft, _outHeight, _outWidth, columns);
}
