using System.Text.Json.Serialization;

namespace Occam.Serialization;

/// <summary>Source-generated JSON metadata for the arrays a saved model's metadata holds.</summary>
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
