using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Notes;
using HealthAssist.Deidentify.Notes.Evaluation;
using HealthAssist.Security;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist bench notes</c>: clinical-note de-identification on generated notes (the labelled evaluation set):
/// p50/p99 per note and notes per second on one thread, beside a baseline that only splits the text into words, and the
/// throughput with every core busy.
/// </summary>
internal static class NotesBench
{
    public static Command Create(CliContext context)
    {
        var notes = new Option<int>("--notes") { Description = "Generated notes to de-identify", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the note generator", DefaultValueFactory = _ => 1 };
        var command = new Command("notes", "Clinical note de-identification: latency per note and notes per second") { notes, seed };
        command.SetAction((result, _) => RunAsync(context, result.GetValue(notes), result.GetValue(seed)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int count, int seed)
    {
        if (count < 1)
        {
            throw new UsageException("--notes must be at least 1.");
        }

        var set = SyntheticNoteGenerator.Generate(seed, count);
        var secret = DeploymentSecret.Generate();
        var deidentifier = new NoteDeidentifier(secret);
        var keys = set.Select(n => PatientKeys.Derive(secret, "urn:healthassist:bench", n.PatientId)).ToArray();
        var characters = set.Sum(n => (long)n.Text.Length);

        var baseline = Measure(set, i => _ = set[i].Text.Split(' ', '\n').Length);
        var single = Measure(set, i => _ = deidentifier.Deidentify(set[i].Text, keys[i], set[i].Context));

        // Every core busy: the whole set several times, so one pass is not too short to time.
        const int Passes = 5;
        Parallel.For(0, set.Count, i => _ = deidentifier.Deidentify(set[i].Text, keys[i], set[i].Context));
        var watch = Stopwatch.StartNew();
        Parallel.For(0, set.Count * Passes, i => _ = deidentifier.Deidentify(set[i % set.Count].Text, keys[i % set.Count], set[i % set.Count].Context));
        var parallelSeconds = watch.Elapsed.TotalSeconds / Passes;

        var o = context.Out;
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{count} generated notes (seed {seed}, {characters / (double)count:F0} characters on average), after warm-up"));
        await o.WriteLineAsync($"{"measurement",-52} {"p50 ms",8} {"p99 ms",8} {"notes/s",10}");
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"baseline: split into words only",-52} {baseline.P50,8:F3} {baseline.P99,8:F3} {baseline.PerSecond,10:N0}"));
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"de-identify (detect + replace), one thread",-52} {single.P50,8:F3} {single.P99,8:F3} {single.PerSecond,10:N0}"));
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{$"de-identify, {Environment.ProcessorCount} cores",-52} {"",8} {"",8} {count / parallelSeconds,10:N0}"));
        return ExitCodes.Success;
    }

    private static (double P50, double P99, double PerSecond) Measure(IReadOnlyList<LabelledNote> set, Action<int> action)
    {
        // Warm-up until tiered compilation (with dynamic PGO) has settled: about five thousand notes.
        for (var round = 0; round < Math.Max(5, 5000 / set.Count); round++)
        {
            for (var i = 0; i < set.Count; i++)
            {
                action(i);
            }
        }

        var samples = new double[set.Count];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < set.Count; i++)
        {
            var watch = Stopwatch.StartNew();
            action(i);
            samples[i] = watch.Elapsed.TotalMilliseconds;
        }

        var seconds = total.Elapsed.TotalSeconds;
        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(samples.Length * 0.99) - 1)], set.Count / seconds);
    }
}
