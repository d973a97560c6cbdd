namespace HealthAssist.IntegrationTests.Infrastructure;

/// <summary>The checkout's root folder (where HealthAssist.sln is), for tests that read committed files.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "HealthAssist.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("HealthAssist.sln not found above the test folder.");
    }
}
