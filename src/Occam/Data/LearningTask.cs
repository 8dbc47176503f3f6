using System.Text.Json.Serialization;

namespace Occam.Data;

/// <summary>What a model predicts: a class (softmax cross-entropy) or a real number (a regression loss).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LearningTask>))]
public enum LearningTask
{
    /// <summary>One of several classes; records report accuracy.</summary>
    [JsonStringEnumMemberName("classification")]
    Classification,

    /// <summary>A real number; records report MSE, RMSE, MAE and R² in the target's original units.</summary>
    [JsonStringEnumMemberName("regression")]
    Regression,
}
