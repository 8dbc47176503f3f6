using Occam.Layers;
using Occam.Tensors;

namespace Occam.Serialization;

/// <summary>
/// Saves and restores a model's parameters (and pruning masks) as safetensors, keyed by the parameters' stable names.
/// Masks are stored as "name.mask" so a pruned model keeps exactly the weights it had pruned. The file grows with the
/// model, not its architecture: <see cref="SafeTensors.Write"/> bit-packs the masks and stores pruned weights as
/// compressed sparse rows when that is smaller, and files written before (dense F32 masks and weights) load as they did.
/// </summary>
public static class ModelWeights
{
    private const string MaskSuffix = ".mask";

    /// <summary>Writes every parameter of <paramref name="model"/>, its masks, and <paramref name="metadata"/>.</summary>
    public static void Save(string path, Layer model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var p in model.Parameters)
        {
            tensors.Add(new(p.Name, p.Value));
            if (p.Mask is not null)
            {
                tensors.Add(new(p.Name + MaskSuffix, p.Mask));
            }
        }

        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Loads parameters saved by <see cref="Save"/> into a model of the same architecture and returns the file's metadata.
    /// Throws <see cref="InvalidDataException"/> naming the file when a parameter is missing, its shape differs, it holds
    /// NaN or infinity, or a mask holds anything but 0 and 1 or marks a non-zero weight pruned.
    /// </summary>
    public static Dictionary<string, string> Load(string path, Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (tensors, metadata) = SafeTensors.Read(path);
        string file = Path.GetFileName(path);
        foreach (var p in model.Parameters)
        {
            if (!tensors.TryGetValue(p.Name, out var value))
            {
                throw new InvalidDataException($"{file}: parameter '{p.Name}' is missing.");
            }

            if (!value.Shape.SequenceEqual(p.Value.Shape))
            {
                throw new InvalidDataException($"{file}: parameter '{p.Name}' has shape [{string.Join(", ", value.Shape.ToArray())}], the model expects [{string.Join(", ", p.Value.Shape.ToArray())}].");
            }

            if (!TensorPrimitives.IsFiniteAll<float>(value.Span))
            {
                throw new InvalidDataException($"{file}: parameter '{p.Name}' holds NaN or infinity.");
            }

            p.Value.CopyFrom(value);
            p.MarkChanged();
            if (tensors.TryGetValue(p.Name + MaskSuffix, out var mask))
            {
                if (mask.Length != p.Length)
                {
                    throw new InvalidDataException($"{file}: mask of '{p.Name}' has the wrong size.");
                }

                foreach (float m in mask.Span)
                {
                    if (m != 0f && m != 1f)
                    {
                        throw new InvalidDataException($"{file}: mask of '{p.Name}' holds a value other than 0 or 1.");
                    }
                }

                if (MaskedValues.CountPrunedNonzero(value.Span, mask.Span) is long alive and > 0)
                {
                    throw new InvalidDataException($"{file}: mask of '{p.Name}' marks {alive} weights pruned that are not zero (a pruned weight is always 0).");
                }

                p.Mask = mask;
            }
        }

        return metadata;
    }
}
