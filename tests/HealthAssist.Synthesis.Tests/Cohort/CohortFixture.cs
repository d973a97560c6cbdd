namespace HealthAssist.Synthesis.Tests.Cohort;

/// <summary>A small cohort written once for the cohort tests (small images keep it fast).</summary>
public sealed class CohortFixture : IDisposable
{
    public const int Patients = 60;
    public const int Seed = 4242;

    public CohortFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"ha-cohort-{Guid.NewGuid():N}");
        Summary = CohortWriter.Write(Folder, new SynthesisOptions(Patients, Seed, 256, 320));
    }

    public string Folder { get; }

    public SynthesisSummary Summary { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
