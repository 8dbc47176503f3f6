using Occam.Tensors;

namespace Occam.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba) with optional decoupled weight decay (AdamW, Loshchilov &amp; Hutter) — see <see cref="AdamW"/>.
/// Weight decay here is the classic L2 form added to the gradient, as in PyTorch's Adam.
/// </summary>
public class Adam : Optimizer
{
    private readonly Dictionary<Parameter, (Tensor M, Tensor V)> _moments = [];

    /// <summary>Creates Adam with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0f, LearningRateSchedule? schedule = null)
        : base(parameters, learningRate, schedule)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        foreach (var p in Parameters)
        {
            _moments[p] = (new Tensor(p.Value.Length), new Tensor(p.Value.Length));
        }
    }

    /// <summary>First-moment decay.</summary>
    public float Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public float Beta2 { get; }

    /// <summary>Denominator term for numerical stability.</summary>
    public float Epsilon { get; }

    /// <summary>Weight decay coefficient.</summary>
    public float WeightDecay { get; }

    /// <summary>True for decoupled decay (AdamW): w -= lr·λ·w instead of adding λ·w to the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc />
    public override void Step()
    {
        float lr = CurrentLearningRate;
        StepCount++;
        float b1 = Beta1, b2 = Beta2, eps = Epsilon, wd = WeightDecay;
        float correction1 = 1f - MathF.Pow(b1, StepCount);
        float correction2 = 1f - MathF.Pow(b2, StepCount);
        float stepSize = lr / correction1;
        float invSqrtCorrection2 = 1f / MathF.Sqrt(correction2);
        bool decoupled = DecoupledWeightDecay;
        foreach (var p in Parameters)
        {
            var (mt, vt) = _moments[p];
            var w = p.Value.Span;
            var g = p.Grad.Span;
            var m = mt.Span;
            var v = vt.Span;
            for (int i = 0; i < w.Length; i++)
            {
                float gi = g[i];
                if (wd != 0f)
                {
                    if (decoupled)
                    {
                        w[i] -= lr * wd * w[i];
                    }
                    else
                    {
                        gi += wd * w[i];
                    }
                }

                float mi = b1 * m[i] + (1f - b1) * gi;
                float vi = b2 * v[i] + (1f - b2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                w[i] -= stepSize * mi / (MathF.Sqrt(vi) * invSqrtCorrection2 + eps);
            }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> State(Parameter parameter)
    {
        var (m, v) = _moments[parameter];
        return [m, v];
    }
}

/// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter), PyTorch's AdamW; default decay 0.01.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW with PyTorch's defaults.</summary>
    public AdamW(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0.01f, LearningRateSchedule? schedule = null)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, schedule)
    {
    }

    /// <inheritdoc />
    protected override bool DecoupledWeightDecay => true;
}
