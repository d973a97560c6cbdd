using System.CommandLine;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist bench</c>: performance figures printed beside their baselines.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Print latency and throughput figures side by side with their baselines");
        bench.Subcommands.Add(AuditBench.Create(context));
        bench.Subcommands.Add(DicomBench.Create(context));
        bench.Subcommands.Add(FhirBench.Create(context));
        bench.Subcommands.Add(AudioBench.Create(context));
        bench.Subcommands.Add(SynthBench.Create(context));
        bench.Subcommands.Add(DeidBench.Create(context));
        bench.Subcommands.Add(NotesBench.Create(context));
        bench.Subcommands.Add(ModelsBench.Create(context));
        bench.Subcommands.Add(AssessBench.Create(context));
        return bench;
    }
}
