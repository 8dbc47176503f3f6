using System.Numerics;
using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Fully connected layer (PyTorch's Linear, Keras's Dense): y = x·Wᵀ + b over the last dimension.
/// The weight is stored [out, in] as in PyTorch, so a row is one output neuron (what structured pruning removes).
/// </summary>
public sealed class Dense : Layer, ISparseKernelLayer
{
    private readonly int _units;
    private readonly bool _useBias;
    private Parameter? _weight;
    private Parameter? _bias;
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _inputGrad;
    private readonly AlignedBuffer _inputSlabs = new();
    private readonly AlignedBuffer _inputTransposed = new();
    private Tensor? _gradTransposed;
    private Tensor? _inputGradTransposed;
    private (long Version, SparsePattern? Pattern, float[] Values) _asHead = (-1, null, []);

    /// <summary>Creates a dense layer with <paramref name="units"/> outputs.</summary>
    public Dense(int units, bool useBias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        _units = units;
        _useBias = useBias;
        Kernels = new KernelChoice(this);
    }

    /// <summary>The weight, [out, in].</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException("Dense is not built yet.");

    /// <summary>The bias, [out], or null without one.</summary>
    public Parameter? Bias => _bias;

    /// <summary>
    /// Which kernels run: by default sparse ones once the weight's mask is sparse enough that they are faster on this CPU
    /// (<see cref="KernelCalibration"/>), so pruned models — in training, evaluation and after loading — run on the
    /// sparse path without any caller opting in.
    /// </summary>
    public KernelPath KernelPath { get; set; } = KernelPath.Automatic;

    /// <summary>This layer's choice of kernels.</summary>
    internal KernelChoice Kernels { get; }

    /// <summary>
    /// Set by <see cref="Models.Sequential"/> when a <see cref="ReLU"/> follows this layer: the forward pass then writes
    /// max(0, y) while the output is still in cache, and the ReLU passes it on (its backward pass is unchanged).
    /// </summary>
    internal bool RectifiesOutput { get; set; }

    /// <summary>True when the last forward pass ran the sparse kernels.</summary>
    public bool RanSparse { get; private set; }

    /// <summary>Input features.</summary>
    public int InFeatures => Weight.Value.Dim(1);

    /// <summary>Output features.</summary>
    public int OutFeatures => _units;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        int inFeatures = inputShape[^1];
        _weight = AddParameter("weight", isPrunable: true, _units, inFeatures);
        // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
        float bound = 1f / MathF.Sqrt(inFeatures);
        Initialize.Uniform(_weight.Value.Span, bound, random);
        if (_useBias)
        {
            _bias = AddParameter("bias", isPrunable: false, _units);
            Initialize.Uniform(_bias.Value.Span, bound, random);
        }

        int[] output = inputShape.ToArray();
        output[^1] = _units;
        return output;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        int rows = input.Length / InFeatures;
        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        var sparse = Kernels.Select(KernelPath, rows, training);
        RanSparse = Kernels.RunsSparse(sparse, KernelPath, rows, training);
        if (RanSparse)
        {
            // Y = X·Wᵀ + b over slabs of Xᵀ: each live weight is one contiguous multiply-add over 32 examples.
            _inputSlabs.Ensure(SparseLinear.WorkspaceLength(InFeatures, rows));
            SparseLinear.Forward(sparse!.Pattern, sparse.Values, BiasMemory, input.Data, rows, _inputSlabs.Memory, output.Data, RectifiesOutput);
            return output;
        }

        Gemm.Multiply(false, true, rows, _units, InFeatures, input.Span, InFeatures, Weight.Value.Span, InFeatures, output.Span, _units, accumulate: false);
        if (_bias is not null || RectifiesOutput)
        {
            var y = output.Span;
            var b = _bias is null ? default : _bias.Value.Span;
            for (int r = 0; r < rows; r++)
            {
                var row = y.Slice(r * _units, _units);
                if (_bias is not null)
                {
                    TensorPrimitives.Add(row, b, row);
                }

                if (RectifiesOutput)
                {
                    TensorPrimitives.Max(row, 0f, row);
                }
            }
        }

        return output;
    }

    /// <summary>
    /// An inference pass through this layer and <paramref name="head"/> together, for a model where
    /// <paramref name="head"/> follows this layer (with only a ReLU this layer rectifies, and dropout, between them):
    /// when this layer runs its sparse kernels, <paramref name="head"/>'s output is computed from each output tile
    /// while it is in cache (<see cref="SparseHead"/>) and returned; otherwise nothing is computed and null returned.
    /// </summary>
    internal Tensor? ForwardThroughHead(Tensor input, Dense head)
    {
        int rows = input.Length / InFeatures;
        var sparse = Kernels.Select(KernelPath, rows, training: false);
        if (!Kernels.RunsSparse(sparse, KernelPath, rows, training: false))
        {
            return null;
        }

        _input = input;
        RanSparse = true;
        var (pattern, values) = head.HeadOperands();
        var output = head.OutputFor(input.Batch);
        _inputSlabs.Ensure(SparseLinear.WorkspaceLength(InFeatures, rows));
        var target = new SparseHead(pattern, values, head.BiasMemory, output.Data);
        SparseLinear.Forward(sparse!.Pattern, sparse.Values, BiasMemory, input.Data, rows, _inputSlabs.Memory,
            default, RectifiesOutput, target);
        return output;
    }

    /// <summary>
    /// This layer's weight as a head (<see cref="SparseHead"/>): the entries its mask keeps (all of them without one),
    /// the pattern rebuilt when the mask changed, the values gathered afresh.
    /// </summary>
    private (SparsePattern Pattern, float[] Values) HeadOperands()
    {
        if (_asHead.Version != Weight.Version || _asHead.Pattern is null)
        {
            var pattern = Weight.Mask is { } mask ? SparsePattern.FromMask(mask.Span, _units, InFeatures) : SparsePattern.Full(_units, InFeatures);
            _asHead = (Weight.Version, pattern, new float[pattern.NonzeroCount]);
        }

        _asHead.Pattern.Gather(Weight.Value.Span, _asHead.Values);
        return (_asHead.Pattern, _asHead.Values);
    }

    private Tensor OutputFor(int batch) => EnsureBuffer(ref _output, batch, OutputShape);

    // The bias as the sparse kernels take it (empty without one).
    private ReadOnlyMemory<float> BiasMemory => _bias?.Value.Data.AsMemory(0, _units) ?? default;

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var input = _input ?? throw new InvalidOperationException("Backward before forward.");
        int rows = input.Length / InFeatures;
        var dy = outputGrad.Span;
        var sparse = Weight.Sparse;
        if (sparse is not null && sparse.IsCurrent(Weight))
        {
            // Gradients go to the compact copy whichever kernels ran forward. A sparse forward of one slab left Xᵀ
            // (row stride 32) in the slabs; otherwise transpose X here.
            var inputT = _inputSlabs;
            int ldx = SparseLinear.SlabWidth;
            if (!RanSparse || rows > SparseLinear.SlabWidth)
            {
                inputT = _inputTransposed;
                inputT.Ensure(input.Length);
                Transpose.Matrix(input.Span, rows, InFeatures, inputT.Span);
                ldx = rows;
            }

            BackwardSparse(sparse, input, inputT.Memory, ldx, outputGrad, rows);
        }
        else
        {
            // dW[out,in] = dYᵀ[out,rows] · X[rows,in]
            Gemm.Multiply(true, false, _units, InFeatures, rows, dy, _units, input.Span, InFeatures, Weight.Grad.Span, InFeatures, accumulate: false);
            if (ComputeInputGradient)
            {
                // dX[rows,in] = dY[rows,out] · W[out,in]
                var dense = EnsureBuffer(ref _inputGrad, input.Batch, InputShape);
                Gemm.Multiply(false, false, rows, InFeatures, _units, dy, _units, Weight.Value.Span, InFeatures, dense.Span, InFeatures, accumulate: false);
            }
        }

        if (_bias is not null)
        {
            var db = _bias.Grad.Span;
            db.Clear();
            for (int r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(db, dy.Slice(r * _units, _units), db);
            }
        }

        return EnsureBuffer(ref _inputGrad, input.Batch, InputShape);
    }

    private void BackwardSparse(SparseWeights sparse, Tensor input, ReadOnlyMemory<float> inputT, int ldx, Tensor outputGrad, int rows)
    {
        // dW at the live weights is dYᵀ·X sampled there, from Xᵀ[in, rows] with row stride ldx.
        var gradT = EnsureFlat(ref _gradTransposed, outputGrad.Length);
        Transpose.Matrix(outputGrad.Span, rows, _units, gradT.Span);
        SparseGemm.SampledProduct(sparse.Pattern, gradT.Data, rows, inputT, ldx, rows, sparse.Grads, accumulate: false);
        sparse.PublishGradients(Weight);
        if (ComputeInputGradient)
        {
            // dXᵀ[in, rows] = Wᵀ · dYᵀ[out, rows], then back to [rows, in].
            var inputGrad = EnsureBuffer(ref _inputGrad, input.Batch, InputShape);
            var inputGradT = EnsureFlat(ref _inputGradTransposed, input.Length);
            SparseGemm.MultiplyTransposed(sparse.Pattern, sparse.Values, gradT.Data, rows, rows, inputGradT.Data, rows);
            Transpose.Matrix(inputGradT.Span, InFeatures, rows, inputGrad.Span);
        }
    }

    private static Tensor EnsureFlat(ref Tensor? buffer, int length) => EnsureBuffer(ref buffer, length, []);

    string ISparseKernelLayer.CalibrationShape =>
        $"dense {InFeatures} to {_units}{(_useBias ? "" : " no-bias")}{(ComputeInputGradient ? "" : " no-input-gradient")}{(RectifiesOutput ? " relu" : "")}";

    // Rows are examples times positions; the slab kernels switch width at 32, and cost grows linearly beyond a few slabs.
    int ISparseKernelLayer.CalibrationRows(int rows) => Math.Min((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(rows, 1)), 1024);

    Layer ISparseKernelLayer.CreateTwin(KernelPath path, Random random)
    {
        var twin = new Dense(_units, _useBias) { KernelPath = path, ComputeInputGradient = ComputeInputGradient, RectifiesOutput = RectifiesOutput };
        twin.Build([InFeatures], random);
        return twin;
    }

    /// <inheritdoc />
    public override long MultiplyAccumulates(bool liveOnly)
    {
        long positions = 1;
        var shape = InputShape;
        for (int i = 0; i < shape.Length - 1; i++)
        {
            positions *= shape[i];
        }

        return positions * (liveOnly ? Weight.CountNonzero() : Weight.Length);
    }
}
