namespace HealthAssist.Synthesis.Tests.Cohort;

internal static class Statistics
{
    /// <summary>Area under the ROC curve (Mann–Whitney U / (n₁·n₀)), ties counted half.</summary>
    public static double Auroc(IReadOnlyList<(double Score, bool Positive)> data)
    {
        return Auroc([.. data.Where(d => d.Positive).Select(d => d.Score)], [.. data.Where(d => !d.Positive).Select(d => d.Score)]);
    }

    /// <summary>Area under the ROC curve of a score for positives over negatives.</summary>
    public static double Auroc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
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
