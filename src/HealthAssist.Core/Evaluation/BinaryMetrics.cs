namespace HealthAssist.Evaluation;

/// <summary>A value with its 95 % confidence interval.</summary>
public sealed record Estimate(double Value, double Lower, double Upper)
{
    public bool ExcludesZero => Lower > 0 || Upper < 0;
}

/// <summary>
/// Discrimination and calibration of one binary prediction. Written here (no statistics package is served for .NET
/// that covers AUROC with ties, AUPRC, calibration slope and ICI together); each formula is the textbook one, named.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>
    /// Area under the ROC curve as the Mann–Whitney statistic: the probability a random positive scores above a random
    /// negative, ties counting one half (average ranks). NaN when either class is absent.
    /// </summary>
    public static double Auroc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes)
    {
        var n = scores.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double rankSum = 0;
        long positives = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && keys[j + 1] == keys[i])
            {
                j++;
            }

            var averageRank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (outcomes[order[k]])
                {
                    rankSum += averageRank;
                    positives++;
                }
            }

            i = j + 1;
        }

        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    /// <summary>Area under the precision–recall curve as average precision (the step-wise sum over positives).</summary>
    public static double Auprc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes)
    {
        var n = scores.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        Array.Reverse(keys);
        Array.Reverse(order);
        var positives = 0;
        foreach (var o in outcomes)
        {
            positives += o ? 1 : 0;
        }

        if (positives == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        var truePositives = 0;
        for (var i = 0; i < n;)
        {
            // Tied scores form one threshold.
            var j = i;
            var tiedPositives = 0;
            while (j < n && keys[j] == keys[i])
            {
                tiedPositives += outcomes[order[j]] ? 1 : 0;
                j++;
            }

            truePositives += tiedPositives;
            sum += tiedPositives * (truePositives / (double)j);
            i = j;
        }

        return sum / positives;
    }

    public static double Brier(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> outcomes)
    {
        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var d = probabilities[i] - (outcomes[i] ? 1 : 0);
            sum += d * d;
        }

        return sum / probabilities.Length;
    }

    /// <summary>
    /// Calibration slope (the coefficient of logit(p) in a logistic regression of the outcome on it) and calibration
    /// intercept (calibration-in-the-large: the intercept with logit(p) as an offset). Perfect: slope 1, intercept 0.
    /// </summary>
    public static (double Intercept, double Slope) CalibrationLine(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> outcomes)
    {
        var x = new double[probabilities.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = Logit(probabilities[i]);
        }

        var (_, slope) = Logistic(x, outcomes, fitSlope: true);
        var (intercept, _) = Logistic(x, outcomes, fitSlope: false);
        return (intercept, slope);
    }

    /// <summary>
    /// Integrated calibration index (Austin &amp; Steyerberg 2019): the mean absolute difference between the predicted
    /// probability and the observed rate smoothed over predictions. The smoother here is a Gaussian kernel on the
    /// logit scale (bandwidth by Silverman's rule) rather than loess; it agrees with loess to a few thousandths on
    /// smooth calibration curves and needs no iteration.
    /// </summary>
    public static double Ici(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> outcomes)
    {
        var n = probabilities.Length;
        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = Logit(probabilities[i]);
        }

        var mean = x.Average();
        var sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, n - 1));
        var bandwidth = Math.Max(1e-3, 1.06 * sd * Math.Pow(n, -0.2));
        var order = Enumerable.Range(0, n).OrderBy(i => x[i]).ToArray();
        var sorted = order.Select(i => x[i]).ToArray();
        var outcome = outcomes.ToArray();
        var y = order.Select(i => outcome[i] ? 1.0 : 0.0).ToArray();
        double total = 0;
        for (var k = 0; k < n; k++)
        {
            // Only neighbours within 4 bandwidths matter: walk outwards from k in the sorted order.
            double weights = 0, observed = 0;
            for (var j = k; j >= 0 && sorted[k] - sorted[j] <= 4 * bandwidth; j--)
            {
                var w = Math.Exp(-0.5 * Math.Pow((sorted[k] - sorted[j]) / bandwidth, 2));
                weights += w;
                observed += w * y[j];
            }

            for (var j = k + 1; j < n && sorted[j] - sorted[k] <= 4 * bandwidth; j++)
            {
                var w = Math.Exp(-0.5 * Math.Pow((sorted[j] - sorted[k]) / bandwidth, 2));
                weights += w;
                observed += w * y[j];
            }

            total += Math.Abs((observed / weights) - Sigmoid(sorted[k]));
        }

        return total / n;
    }

    public static double Logit(double p)
    {
        var clamped = Math.Clamp(p, 1e-7, 1 - 1e-7);
        return Math.Log(clamped / (1 - clamped));
    }

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Newton–Raphson for y ~ a + b·x (fitSlope) or y ~ a + offset(x).</summary>
    private static (double A, double B) Logistic(double[] x, ReadOnlySpan<bool> y, bool fitSlope)
    {
        double a = 0, b = 1;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (var i = 0; i < x.Length; i++)
            {
                var p = Sigmoid(a + (b * x[i]));
                var r = (y[i] ? 1 : 0) - p;
                var w = Math.Max(p * (1 - p), 1e-12);
                ga += r;
                gb += r * x[i];
                haa += w;
                hab += w * x[i];
                hbb += w * x[i] * x[i];
            }

            double da, db;
            if (fitSlope)
            {
                var det = (haa * hbb) - (hab * hab);
                if (Math.Abs(det) < 1e-12)
                {
                    break;
                }

                da = ((hbb * ga) - (hab * gb)) / det;
                db = ((haa * gb) - (hab * ga)) / det;
            }
            else
            {
                da = ga / haa;
                db = 0;
            }

            a += da;
            b += db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-9)
            {
                break;
            }
        }

        return (a, b);
    }
}
