using BenchmarkDotNet.Attributes;
using Occam.Layers;
using Occam.Optimizers;
using Occam.Tensors;

namespace Occam.Benchmarks;

/// <summary>
/// The per-step work outside the matrix products for the reference models at batch 32: the Adam update over the
/// dense model's 814k parameters, its dropout mask, and one convolution of the convolutional model (N = 32).
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private readonly Adam _adam;
    private readonly Dropout _dropout = new(0.2f, seed: 1);
    private readonly Tensor _hidden = new(32, 1024);
    private readonly Conv2D _conv = new(64, 3);
    private readonly Tensor _image = new(32, 32, 14, 14);
    private readonly Tensor _convGrad = new(32, 64, 14, 14);

    /// <summary>Builds the layers and fills the inputs.</summary>
    public TrainingStepBenchmarks()
    {
        var dense = Occam.Models.Sequential.Create([784], 1, new Dense(1024), new ReLU(), new Dense(10));
        foreach (var p in dense.Parameters)
        {
            Initialize.Uniform(p.Grad.Span, 1f, new Random(2));
        }

        _adam = new Adam(dense.Parameters);
        _dropout.Build([1024], new Random(1));
        _conv.Build([32, 14, 14], new Random(1));
        Initialize.Uniform(_image.Span, 1f, new Random(3));
        Initialize.Uniform(_convGrad.Span, 1f, new Random(4));
    }

    /// <summary>One Adam step over the dense reference model.</summary>
    [Benchmark]
    public void AdamStep() => _adam.Step();

    /// <summary>A training-mode dropout forward over the dense model's hidden layer.</summary>
    [Benchmark]
    public Tensor DropoutForward() => _dropout.Forward(_hidden, training: true);

    /// <summary>Forward and backward of a 3×3 'same' convolution, 32 → 64 channels on 14×14 images.</summary>
    [Benchmark]
    public Tensor Conv2DForwardBackward()
    {
        _conv.Forward(_image, training: true);
        return _conv.Backward(_convGrad);
    }
}
