using System.Numerics;
using System.Runtime.InteropServices;
using Occam.Tensors;

namespace Occam.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, following
/// PyTorch's SGD (dampening 0): g = ∇ + λ·w; b = μ·b + g; w −= lr·(g + μ·b) with Nesterov, else w −= lr·b.
/// Without momentum the update is w −= lr·g. The momentum buffer starts at zero, which makes the first step
/// b = g exactly as PyTorch's initialisation does.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<Parameter, Tensor> _momentum = [];

    /// <summary>Creates SGD; <paramref name="nesterov"/> requires a positive <paramref name="momentum"/>.</summary>
    public Sgd(IEnumerable<Parameter> parameters, float learningRate = 0.01f, float momentum = 0f, bool nesterov = false,
        float weightDecay = 0f, LearningRateSchedule? schedule = null)
        : base(parameters, learningRate, schedule)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum requires a positive momentum.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        if (momentum != 0f)
        {
            foreach (var p in Parameters)
            {
                _momentum[p] = new Tensor(p.Value.Length);
            }
        }
    }

    /// <summary>Momentum factor μ (0: plain SGD).</summary>
    public float Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <summary>L2 weight decay λ, added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override void Step()
    {
        float lr = CurrentLearningRate;
        StepCount++;
        float mu = Momentum, wd = WeightDecay;
        foreach (var p in Parameters)
        {
            if (p.Sparse is { } sparse && sparse.IsCurrent(p))
            {
                StepSparse(p, sparse, lr);
                continue;
            }

            if (mu == 0f)
            {
                Plain(p.Value.Span, p.Grad.Span, lr, wd);
            }
            else
            {
                WithMomentum(p.Value.Span, p.Grad.Span, _momentum[p].Span, lr, wd, mu, Nesterov);
            }
        }
    }

    /// <summary>
    /// w −= lr·(g + λ·w), a vector at a time and then the tail. Both apply the same correctly rounded operations (no
    /// fused multiply-add) in the same order, so the result does not depend on the vector width.
    /// </summary>
    private static void Plain(Span<float> w, ReadOnlySpan<float> g, float lr, float wd)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var weights = MemoryMarshal.Cast<float, Vector<float>>(w);
            var grads = MemoryMarshal.Cast<float, Vector<float>>(g);
            for (int j = 0; j < weights.Length; j++)
            {
                weights[j] -= lr * (grads[j] + (wd * weights[j]));
            }

            i = weights.Length * Vector<float>.Count;
        }

        for (; i < w.Length; i++)
        {
            w[i] -= lr * (g[i] + (wd * w[i]));
        }
    }

    /// <summary>The momentum update over contiguous w, g and b, vectorised as <see cref="Plain"/>.</summary>
    private static void WithMomentum(Span<float> w, ReadOnlySpan<float> g, Span<float> b, float lr, float wd, float mu, bool nesterov)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var weights = MemoryMarshal.Cast<float, Vector<float>>(w);
            var grads = MemoryMarshal.Cast<float, Vector<float>>(g);
            var buffers = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int j = 0; j < weights.Length; j++)
            {
                var gj = grads[j] + (wd * weights[j]);
                var bj = (mu * buffers[j]) + gj;
                buffers[j] = bj;
                weights[j] -= lr * (nesterov ? gj + (mu * bj) : bj);
            }

            i = weights.Length * Vector<float>.Count;
        }

        for (; i < w.Length; i++)
        {
            float gi = g[i] + (wd * w[i]);
            float bi = (mu * b[i]) + gi;
            b[i] = bi;
            w[i] -= lr * (nesterov ? gi + (mu * bi) : bi);
        }
    }

    /// <summary>
    /// The same update on the live entries only of a parameter whose layer runs sparse kernels; the momentum stays
    /// dense (indexed by each entry's position), the values go to the compact copy (the dense tensor is written back when read).
    /// </summary>
    private void StepSparse(Parameter p, SparseWeights sparse, float lr)
    {
        float mu = Momentum, wd = WeightDecay;
        sparse.WritesDenseGradient = false;
        var w = sparse.Values;
        var g = sparse.Grads;
        if (mu == 0f)
        {
            Plain(w, g, lr, wd);
            sparse.MarkDenseStale();
            return;
        }

        // The momentum is indexed by each entry's dense position, a gather and scatter per entry: scalar.
        var flat = sparse.Pattern.FlatIndex;
        var b = _momentum[p].Span;
        for (int k = 0; k < w.Length; k++)
        {
            float gi = g[k] + wd * w[k];
            float bi = mu * b[flat[k]] + gi;
            b[flat[k]] = bi;
            w[k] -= lr * (Nesterov ? gi + mu * bi : bi);
        }

        sparse.MarkDenseStale();
    }

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> State(Parameter parameter) =>
        _momentum.TryGetValue(parameter, out var buffer) ? [buffer] : [];
}
