using Spectre.Console;

namespace Occam.Cli.Output;

/// <summary>Spectre.Console consoles bound to the command's own writers, so tests can capture everything.</summary>
internal static class Consoles
{
    /// <summary>A console on <paramref name="writer"/>; plain text (no colours, no cursor movement) unless interactive.</summary>
    public static IAnsiConsole On(TextWriter writer, bool interactive) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
    });
}
