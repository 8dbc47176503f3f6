using Occam.Cli.Engine;
using Occam.Cli.Output;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>What every command runs against: its writers, the engine, and whether stderr is a live terminal.</summary>
internal sealed class CliContext
{
    private IAnsiConsole? _outConsole;
    private IAnsiConsole? _errorConsole;

    /// <summary>Creates the context.</summary>
    /// <param name="output">stdout: results only (tables, or JSON with --json).</param>
    /// <param name="error">stderr: progress and error messages.</param>
    /// <param name="engine">The library calls.</param>
    /// <param name="interactive">True when stderr is a terminal that can show live progress bars.</param>
    /// <param name="cancellationToken">Fired when the user interrupts.</param>
    public CliContext(TextWriter output, TextWriter error, IOccamEngine engine, bool interactive, CancellationToken cancellationToken)
    {
        Output = output;
        Error = error;
        Engine = engine;
        Interactive = interactive;
        CancellationToken = cancellationToken;
    }

    /// <summary>stdout.</summary>
    public TextWriter Output { get; }

    /// <summary>stderr.</summary>
    public TextWriter Error { get; }

    /// <summary>The library calls.</summary>
    public IOccamEngine Engine { get; }

    /// <summary>True when stderr shows live progress bars.</summary>
    public bool Interactive { get; }

    /// <summary>Fired when the user interrupts.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>A Spectre console on stdout for tables; plain text, since stdout is often piped.</summary>
    public IAnsiConsole OutputConsole => _outConsole ??= Consoles.On(Output, interactive: false);

    /// <summary>Renders progress on stderr: live bars on a terminal, plain lines otherwise.</summary>
    public IProgressRenderer Progress => Interactive
        ? new SpectreProgressRenderer(_errorConsole ??= Consoles.On(Error, interactive: true))
        : new LineProgressRenderer(Error);
}
