namespace HealthAssist.Cli;

/// <summary>Entry point of the <c>healthassist</c> command.</summary>
internal static class CliProgram
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
