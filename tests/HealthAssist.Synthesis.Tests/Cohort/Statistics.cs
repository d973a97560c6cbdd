namespace HealthAssist.Synthesis.Tests.Cohort;

internal static class Statistics
{
    /// <summary>Area under the ROC curve (Mann–Whitney U / (n₁·n₀)), ties counted half.</summary>
    public static double Auroc(IReadOnlyList<(double Score, bool Positive)> data)
    {
        var positives = data.Where(d => d.Positive).Select(d => d.Score).ToList();
        var negatives = data.Where(d => !d.Positive).Select(d => d.Score).ToList();
        if (positives.Count == 0 || negatives.Count == 0)
        {
            throw new InvalidOperationException("AUROC needs both classes.");
        }

        double wins = 0;
        foreach (var p in positives)
        {
            foreach (var n in negatives)
            {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }

        return wins / (positives.Count * (double)negatives.Count);
    }
}
