using HealthAssist.Synthesis.Imaging;

namespace HealthAssist.Synthesis.Tests.Imaging;

/// <summary>Builders for radiograph requests: a fixed identity, and styles and findings varied per test.</summary>
internal static class RadiographRequests
{
    public static RadiographFindings Normal { get; } = new(0, 0, null, 0, EffusionSide.None, 0, 0);

    public static RadiographIdentity Identity(string patientName = "Rossi^Giulia^Anna", string patientId = "MRN48213007") => new(
        patientName,
        patientId,
        "1958-11-23",
        "F",
        "ACC2024031588",
        new DateTimeOffset(2024, 3, 15, 14, 22, 5, TimeSpan.FromHours(1)),
        "Saint Elsewhere General Hospital",
        "Okafor^Chidi^^Dr",
        "Lindqvist^Maja",
        "1.2.826.0.1.3680043.10.543.1",
        "1.2.826.0.1.3680043.10.543.1.2",
        "1.2.826.0.1.3680043.10.543.1.2.3");

    public static RadiographStyle Style(
        string modality = "CR", int size = 1024, int bitsStored = 12, bool monochrome1 = false, int windowTags = 1, bool lowContrast = false, string? burnedInText = null) =>
        new(modality, size, size, bitsStored, monochrome1, windowTags, lowContrast, burnedInText);

    public static RadiographRequest Request(RadiographFindings? findings = null, RadiographStyle? style = null, RadiographIdentity? identity = null) =>
        new(findings ?? Normal, identity ?? Identity(), style ?? Style());

    /// <summary>Findings other than the one under study, drawn as a cohort would have them, so signals are not tested in isolation.</summary>
    public static RadiographFindings Background(Random random)
    {
        double Sometimes(double probability) => random.NextDouble() < probability ? random.NextDouble() : 0;
        var effusion = random.NextDouble() < 0.25 ? (EffusionSide)(1 + random.Next(3)) : EffusionSide.None;
        return new RadiographFindings(
            Cardiomegaly: Sometimes(0.3),
            BilateralHaze: Sometimes(0.3),
            Consolidation: null,
            ConsolidationSeverity: 0,
            Effusion: effusion,
            EffusionSeverity: effusion == EffusionSide.None ? 0 : random.NextDouble(),
            Hyperinflation: Sometimes(0.2));
    }
}
