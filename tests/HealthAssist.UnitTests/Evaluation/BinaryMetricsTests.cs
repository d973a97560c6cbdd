using HealthAssist.Evaluation;

namespace HealthAssist.UnitTests.Evaluation;

public sealed class BinaryMetricsTests
{
    [Fact]
    public void Auroc_IsTheShareOfCorrectlyOrderedPairs_WithTiesCountingHalf()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8];
        bool[] outcomes = [false, false, true, true];
        Assert.Equal(0.75, BinaryMetrics.Auroc(scores, outcomes), 12); // 3 of 4 positive–negative pairs in order

        Assert.Equal(0.5, BinaryMetrics.Auroc([0.5, 0.5, 0.5, 0.5], outcomes), 12);
        Assert.Equal(1.0, BinaryMetrics.Auroc([0.1, 0.2, 0.3, 0.4], outcomes), 12);
        Assert.Equal(0.0, BinaryMetrics.Auroc([0.4, 0.3, 0.2, 0.1], outcomes), 12);
        Assert.True(double.IsNaN(BinaryMetrics.Auroc([0.1, 0.2], [true, true])));
    }

    [Fact]
    public void Auprc_IsAveragePrecisionOverThePositives()
    {
        // Ranked: 0.9 (pos) P=1, 0.8 (neg), 0.7 (pos) P=2/3 → AP = (1 + 2/3) / 2.
        Assert.Equal((1 + (2.0 / 3)) / 2, BinaryMetrics.Auprc([0.9, 0.8, 0.7], [true, false, true]), 12);
    }

    [Fact]
    public void Brier_IsTheMeanSquaredError()
    {
        Assert.Equal(((0.1 * 0.1) + (0.3 * 0.3)) / 2, BinaryMetrics.Brier([0.9, 0.3], [true, false]), 12);
    }

    [Fact]
    public void CalibrationLine_IsSlopeOneInterceptZero_ForCalibratedPredictions_AndSlopeBelowOne_ForOverconfidentOnes()
    {
        var (probabilities, outcomes) = Simulate(20_000, p => p);
        var (intercept, slope) = BinaryMetrics.CalibrationLine(probabilities, outcomes);
        Assert.InRange(slope, 0.95, 1.05);
        Assert.InRange(intercept, -0.05, 0.05);
        Assert.True(BinaryMetrics.Ici(probabilities, outcomes) < 0.015);

        // Reported logits twice the true ones: overconfident, slope ≈ 0.5, and a visible ICI.
        var overconfident = probabilities.Select(p => BinaryMetrics.Sigmoid(2 * BinaryMetrics.Logit(p))).ToArray();
        var (_, steep) = BinaryMetrics.CalibrationLine(overconfident, outcomes);
        Assert.InRange(steep, 0.45, 0.55);
        Assert.True(BinaryMetrics.Ici(overconfident, outcomes) > 0.05);
    }

    [Fact]
    public void Bootstrap_GivesAnIntervalAroundTheEstimate_ThatNarrowsWithMoreCases()
    {
        Estimate Interval(int n)
        {
            var (probabilities, outcomes) = Simulate(n, p => p, seed: n);
            return new Bootstrap(n, 400, seed: 1).Estimate(sample =>
                BinaryMetrics.Auroc(sample.Select(i => probabilities[i]).ToArray(), sample.Select(i => outcomes[i]).ToArray()));
        }

        var small = Interval(200);
        var large = Interval(5_000);
        Assert.InRange(small.Value, small.Lower, small.Upper);
        Assert.True(large.Upper - large.Lower < (small.Upper - small.Lower) / 2.5);
    }

    private static (double[] Probabilities, bool[] Outcomes) Simulate(int n, Func<double, double> truth, int seed = 7)
    {
        var random = new Random(seed);
        var probabilities = new double[n];
        var outcomes = new bool[n];
        for (var i = 0; i < n; i++)
        {
            probabilities[i] = BinaryMetrics.Sigmoid((random.NextDouble() * 6) - 3);
            outcomes[i] = random.NextDouble() < truth(probabilities[i]);
        }

        return (probabilities, outcomes);
    }
}
