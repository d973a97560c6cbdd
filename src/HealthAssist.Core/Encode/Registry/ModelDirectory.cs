namespace HealthAssist.Encode.Registry;

/// <summary>
/// Finds the <c>models/</c> folder (registry, de-identification profile, feature specification): the configured
/// path; else <c>models/</c> beside the program (a published build); else the repository's, found by walking up from
/// the program and the working folder to <c>HealthAssist.sln</c> (a development run).
/// </summary>
public static class ModelDirectory
{
    public static string Locate(string? configured = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Directory.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new DirectoryNotFoundException($"The configured models folder {configured} does not exist");
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "models");
        if (Directory.Exists(beside))
        {
            return beside;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HealthAssist.sln")) && Directory.Exists(Path.Combine(directory.FullName, "models")))
                {
                    return Path.Combine(directory.FullName, "models");
                }
            }
        }

        throw new DirectoryNotFoundException("No models folder found: set HEALTHASSIST_MODELS (or Models:Path) or run from the repository");
    }
}
