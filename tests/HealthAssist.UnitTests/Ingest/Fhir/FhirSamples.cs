namespace HealthAssist.UnitTests.Ingest.Fhir;

/// <summary>The public FHIR samples in ../shared/data/fhir (never copied into the repository).</summary>
internal static class FhirSamples
{
    public static string Folder { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(HealthAssist.UnitTests.Security.RolePermissionsTests.RepositoryRoot(), "..", "shared", "data", "fhir"));

    public static string Path(string relative) => System.IO.Path.Combine(Folder, relative);

    public static string Text(string relative) => File.ReadAllText(Path(relative));
}
