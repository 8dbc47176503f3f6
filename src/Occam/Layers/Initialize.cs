namespace Occam.Layers;

/// <summary>Seeded weight initialisers.</summary>
public static class Initialize
{
    /// <summary>Fills <paramref name="values"/> from U(-bound, bound).</summary>
    public static void Uniform(Span<float> values, float bound, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2.0 - 1.0) * bound);
        }
    }

    /// <summary>Fills <paramref name="values"/> from N(0, std²) (Box–Muller).</summary>
    public static void Normal(Span<float> values, float std, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }
}
