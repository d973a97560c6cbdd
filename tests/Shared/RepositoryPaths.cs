namespace HealthAssist.Tests;

/// <summary>Where the repository is, for tests that read its data files (models/, compliance/, scripts/) or ../shared.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HealthAssist.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("HealthAssist.sln not found above the test binaries");
    }
}
