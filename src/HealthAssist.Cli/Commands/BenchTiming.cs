using System.Diagnostics;

namespace HealthAssist.Cli.Commands;

/// <summary>Timing helpers every bench command shares: warm-up then timed runs, and nearest-rank percentiles.</summary>
internal static class BenchTiming
{
    /// <summary>Runs <paramref name="action"/> up to 20 times to warm up, then <paramref name="iterations"/> timed times (milliseconds).</summary>
    public static List<double> Measure(Action action, int iterations)
    {
        for (var i = 0; i < Math.Min(20, iterations); i++)
        {
            action();
        }

        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return samples;
    }

    /// <summary>The nearest-rank percentile (0–100) of the samples.</summary>
    public static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
