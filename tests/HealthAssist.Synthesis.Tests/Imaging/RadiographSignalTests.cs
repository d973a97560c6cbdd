using HealthAssist.Dicom.IO;
using HealthAssist.Synthesis.Imaging;
using Xunit.Abstractions;

namespace HealthAssist.Synthesis.Tests.Imaging;

/// <summary>
/// The planted findings must be measurable with simple statistics, but not trivially: over a cohort with other findings
/// and patient variation, a zone mean separates consolidation from none with an AUROC below 1.
/// </summary>
public sealed class RadiographSignalTests(ITestOutputHelper output)
{
    private const int Patients = 40;

    [Fact]
    public void RightLowerZoneMean_IsHigherWithRightLowerConsolidation_ButNotPerfectlySeparable()
    {
        var random = new Random(20240315);
        var with = new List<double>();
        var without = new List<double>();
        for (var i = 0; i < Patients; i++)
        {
            var consolidated = i % 2 == 0;
            var findings = RadiographRequests.Background(random) with
            {
                Consolidation = consolidated ? LungZone.RightLower : null,
                ConsolidationSeverity = consolidated ? 0.3 + (0.7 * random.NextDouble()) : 0,
            };
            var image = Read(findings, seed: 1000 + i, out var rows, out var columns);
            // The patient's right lower zone is on the image left (PA view), above the right hemidiaphragm.
            var mean = RadiographMeasurements.MeanOver(image, rows, columns, 0.20, 0.48, 0.42, 0.64);
            (consolidated ? with : without).Add(mean);
        }

        var auroc = Cohort.Statistics.Auroc(with, without);
        output.WriteLine($"right lower zone mean: with consolidation {with.Average():F4}, without {without.Average():F4}; AUROC {auroc:F3} over {Patients} patients");
        Assert.InRange(auroc, 0.6, 0.99);
    }

    [Theory]
    [InlineData("effusion")]
    [InlineData("haze")]
    public void ZoneMean_SeparatesAFinding_WithAnAurocBelowOne(string finding)
    {
        var random = new Random(finding.Length * 7919);
        var with = new List<double>();
        var without = new List<double>();
        for (var i = 0; i < Patients; i++)
        {
            var present = i % 2 == 0;
            var severity = 0.2 + (0.8 * random.NextDouble());
            var background = RadiographRequests.Background(random);
            var findings = finding switch
            {
                "effusion" => background with { Effusion = present ? EffusionSide.Right : EffusionSide.None, EffusionSeverity = present ? severity : 0 },
                _ => background with { BilateralHaze = present ? severity : 0 },
            };
            var image = Read(findings, seed: 3000 + i, out var rows, out var columns);
            var statistic = finding switch
            {
                // The right costophrenic angle, on the image left.
                "effusion" => RadiographMeasurements.MeanOver(image, rows, columns, 0.12, 0.60, 0.30, 0.70),
                // Both lungs' lower zones, lateral to the heart.
                _ => (RadiographMeasurements.MeanOver(image, rows, columns, 0.18, 0.45, 0.36, 0.60) + RadiographMeasurements.MeanOver(image, rows, columns, 0.64, 0.45, 0.82, 0.60)) / 2,
            };
            (present ? with : without).Add(statistic);
        }

        var auroc = Cohort.Statistics.Auroc(with, without);
        output.WriteLine($"{finding}: zone mean with {with.Average():F4}, without {without.Average():F4}; AUROC {auroc:F3} over {Patients} patients");
        Assert.InRange(auroc, 0.6, 0.99);
    }

    [Fact]
    public void EstimatedCardiothoracicRatio_GrowsWithCardiomegaly()
    {
        var levels = new[] { 0.0, 0.5, 1.0 };
        var means = new List<double>();
        var random = new Random(7);
        var normal = new List<double>();
        var enlarged = new List<double>();
        foreach (var level in levels)
        {
            var estimates = new List<double>();
            for (var i = 0; i < 12; i++)
            {
                var findings = RadiographRequests.Background(random) with { Cardiomegaly = level };
                var image = Read(findings, seed: 2000 + i, out var rows, out var columns);
                estimates.Add(RadiographMeasurements.CardiothoracicRatio(image, rows, columns));
            }

            output.WriteLine($"cardiomegaly {level:F1}: estimated CTR mean {estimates.Average():F3}, range {estimates.Min():F3}–{estimates.Max():F3}");
            means.Add(estimates.Average());
            if (level == 0)
            {
                normal.AddRange(estimates);
            }
            else if (level == 1)
            {
                enlarged.AddRange(estimates);
            }
        }

        var auroc = Cohort.Statistics.Auroc(enlarged, normal);
        output.WriteLine($"AUROC of the estimated CTR, cardiomegaly 1 vs 0: {auroc:F3}");
        Assert.True(means[0] < means[1] && means[1] < means[2], $"CTR estimates do not grow: {string.Join(", ", means.Select(m => m.ToString("F3")))}");
        Assert.InRange(means[0], 0.35, 0.52);
        Assert.True(means[2] - means[0] > 0.1, $"CTR grows by only {means[2] - means[0]:F3}");
    }

    private static float[] Read(RadiographFindings findings, int seed, out int rows, out int columns)
    {
        var radiograph = RadiographSynthesizer.Create(RadiographRequests.Request(findings, RadiographRequests.Style(size: 1024)), seed);
        var file = DicomReader.Read(DicomWriter.Write(radiograph.File));
        return RadiographMeasurements.Intensities(file.Dataset, out rows, out columns);
    }
}
