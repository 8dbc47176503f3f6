using Occam.Cli.Specs;
using Occam.Pruning;

namespace Occam.Cli.Engine;

/// <summary>Everything one training run needs, validated: what to train on, what to train, how.</summary>
/// <param name="Data">The data set.</param>
/// <param name="Model">The architecture (already defaulted and checked against the data).</param>
/// <param name="Method">The training method, from the library's registry.</param>
/// <param name="Settings">The numeric options.</param>
/// <param name="Resume">Continue from the checkpoint in the run directory instead of starting afresh.</param>
internal sealed record TrainingPlan(DataSpec Data, ModelSpec Model, PruningMethod Method, TrainingSettings Settings, bool Resume = false);
