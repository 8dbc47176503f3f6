using Occam.Layers;
using Occam.Tensors;

namespace Occam.Tests.Support;

/// <summary>
/// Finite-difference gradient checks. The scalar checked is L = Σ output ⊙ R for a fixed random R, so
/// dL/doutput = R and every analytic gradient can be compared with (L(x+h) − L(x−h)) / 2h.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Builds nothing: <paramref name="layer"/> must be built. Checks the input gradient (unless
    /// <paramref name="checkInput"/> is false) and every parameter gradient on up to <paramref name="samples"/>
    /// coordinates each; fails with the worst coordinate when the relative error exceeds <paramref name="tolerance"/>.
    /// <paramref name="beforeForward"/>, when given, runs before every forward pass (e.g. to replay a dropout mask).
    /// </summary>
    public static void Check(Layer layer, Tensor input, int seed = 7, float step = 1e-2f, double tolerance = 2e-2,
        int samples = 40, bool checkInput = true, Action? beforeForward = null)
    {
        var random = new Random(seed);
        beforeForward?.Invoke();
        var output = layer.Forward(input, training: true);
        var projection = new Tensor(output.Length);
        Initialize.Uniform(projection.Span, 1f, random);

        var outputGrad = output.Clone();
        projection.Span.CopyTo(outputGrad.Span);
        var inputGrad = layer.Backward(outputGrad).Clone();
        var parameterGrads = layer.Parameters.Select(p => p.Grad.Clone()).ToList();

        double Loss()
        {
            beforeForward?.Invoke();
            var y = layer.Forward(input, training: true).Span;
            var r = projection.Span;
            double sum = 0;
            for (int i = 0; i < y.Length; i++)
            {
                sum += (double)y[i] * r[i];
            }

            return sum;
        }

        if (checkInput)
        {
            Compare("input", input.Span.ToArray().Length, i => ref input.Data[i], inputGrad.Span.ToArray(), Loss, random, step, tolerance, samples);
        }

        for (int k = 0; k < layer.Parameters.Count; k++)
        {
            var p = layer.Parameters[k];
            Compare(p.Name, p.Length, i => ref p.Value.Data[i], parameterGrads[k].Span.ToArray(), Loss, random, step, tolerance, samples);
        }
    }

    /// <summary>
    /// Checks <paramref name="analytic"/>, the gradient of the scalar <paramref name="loss"/> with respect to every
    /// element of <paramref name="input"/>, against central differences (e.g. a loss function's own gradient).
    /// </summary>
    public static void CheckScalar(Tensor input, float[] analytic, Func<double> loss, float step = 1e-2f, double tolerance = 2e-4) =>
        Compare("input", input.Length, i => ref input.Data[i], analytic, loss, new Random(0), step, tolerance, input.Length);

    private delegate ref float Element(int index);

    private static void Compare(string what, int length, Element element, float[] analytic, Func<double> loss,
        Random random, float step, double tolerance, int samples)
    {
        double worst = 0;
        string worstText = "";
        var indices = length <= samples ? Enumerable.Range(0, length) : Enumerable.Range(0, samples).Select(_ => random.Next(length));
        foreach (int i in indices)
        {
            ref float x = ref element(i);
            float saved = x;
            x = saved + step;
            double plus = loss();
            x = saved - step;
            double minus = loss();
            x = saved;
            double numeric = (plus - minus) / (2 * step);
            double error = Math.Abs(numeric - analytic[i]) / Math.Max(1.0, Math.Abs(numeric) + Math.Abs(analytic[i]));
            if (error > worst)
            {
                worst = error;
                worstText = $"{what}[{i}]: analytic {analytic[i]:G6}, numeric {numeric:G6}";
            }
        }

        Assert.True(worst <= tolerance, $"Gradient mismatch (relative error {worst:G3}) at {worstText}");
    }
}
