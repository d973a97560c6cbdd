namespace HealthAssist.Evaluation;

/// <summary>
/// Percentile bootstrap over cases: the same resamples for every statistic of one evaluation, so paired differences
/// (fusion minus a single modality on the same cases) get an honest interval. Seeded, so a report is reproducible.
/// </summary>
public sealed class Bootstrap
{
    private readonly int[][] _samples;

    public Bootstrap(int cases, int resamples = 1_000, int seed = 20_261_126)
    {
        Cases = cases;
        var random = new Random(seed);
        _samples = new int[resamples][];
        for (var r = 0; r < resamples; r++)
        {
            var sample = new int[cases];
            for (var i = 0; i < cases; i++)
            {
                sample[i] = random.Next(cases);
            }

            _samples[r] = sample;
        }
    }

    public int Resamples => _samples.Length;

    public int Cases { get; }

    /// <summary>
    /// The statistic on all cases and its 2.5th–97.5th percentile over resamples (NaN resamples dropped). The statistic
    /// receives case indexes 0…Cases−1 (all of them once, then each resample).
    /// </summary>
    public Estimate Estimate(Func<int[], double> statistic)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        var value = statistic([.. Enumerable.Range(0, Cases)]);
        var values = new List<double>(_samples.Length);
        foreach (var sample in _samples)
        {
            var v = statistic(sample);
            if (!double.IsNaN(v))
            {
                values.Add(v);
            }
        }

        if (values.Count < 10)
        {
            return new Estimate(value, double.NaN, double.NaN);
        }

        values.Sort();
        return new Estimate(value, Percentile(values, 0.025), Percentile(values, 0.975));
    }

    private static double Percentile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}
