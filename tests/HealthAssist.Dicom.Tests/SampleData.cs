namespace HealthAssist.Dicom.Tests;

/// <summary>
/// The public sample files in ../shared/data (never copied into the repository). CI always has them; a missing
/// folder is a failure, not a skip.
/// </summary>
internal static class SampleData
{
    public static string RepositoryRoot => RepositoryPaths.Root;

    public static string DicomFolder => Path.Combine(RepositoryRoot, "..", "shared", "data", "dicom");

    public static string File(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(DicomFolder, relative));
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"Sample file {relative} not found under {DicomFolder}.", path);
    }

    public static IReadOnlyList<string> AllDicomFiles() =>
        Directory.EnumerateFiles(DicomFolder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
}
