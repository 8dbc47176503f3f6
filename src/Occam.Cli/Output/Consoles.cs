using Spectre.Console;

namespace Occam.Cli.Output;

/// <summary>Spectre.Console consoles bound to the command's own writers, so tests can capture everything.</summary>
internal static class Consoles
{
    /// <summary>Width of non-interactive output, wide enough that result tables never wrap in a pipe or a log.</summary>
    private const int PlainWidth = 160;

    /// <summary>A console on <paramref name="writer"/>; plain text (no colours, no cursor movement) unless interactive.</summary>
    public static IAnsiConsole On(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = PlainWidth;
        }

        return console;
    }
}
