using System.Text.Json;
using HealthAssist.Cli;

namespace HealthAssist.IntegrationTests.Cli;

/// <summary>
/// The bundled models through the CLI: registry verification, the features export the training reads, and the
/// evaluation on a fresh, reduced synthetic cohort against the targets with reduced-cohort tolerances, so a
/// regression in the models or anything before them (generator, de-identification, inputs) cannot land silently.
/// </summary>
public sealed class ModelsCliTests(ModelsCliTests.SmallCohort cohort) : IClassFixture<ModelsCliTests.SmallCohort>
{
    public sealed class SmallCohort : IDisposable
    {
        public SmallCohort()
        {
            var (code, _, error) = RunAsync(Settings(Root), "synth", "--patients", "1000", "--seed", "424242", "--out", Folder).GetAwaiter().GetResult();
            Assert.True(code == 0, error);
        }

        public string Root { get; } = Path.Combine(Path.GetTempPath(), $"ha-models-{Guid.NewGuid():N}");

        public string Folder => Path.Combine(Root, "cohort");

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    private static Dictionary<string, string?> Settings(string root) => new()
    {
        ["Environment"] = "Development",
        ["HealthAssist:DataDirectory"] = Path.Combine(root, "data"),
        ["Keys:GenerateMissing"] = "true",
    };

    private static Task<(int Code, string Out, string Error)> RunAsync(Dictionary<string, string?> settings, params string[] args) =>
        CliTests.RunAsync(settings, args);

    [Fact]
    public async Task ModelsVerify_PassesForEveryBundledModel()
    {
        var (code, output, error) = await RunAsync(Settings(cohort.Root), "--json", "models", "verify");

        Assert.True(code == 0, output + error);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(7, json.RootElement.GetProperty("models").GetArrayLength());
    }

    [Fact]
    public async Task ModelsEvaluate_OnAFreshReducedCohort_MeetsTheTargetsWithReducedTolerances()
    {
        var report = Path.Combine(cohort.Root, "evaluation.json");

        var (code, output, error) = await RunAsync(Settings(cohort.Root), "models", "evaluate", "--cohort", cohort.Folder, "--reduced", "--resamples", "200", "--report", report);

        Assert.True(code == 0, output + error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var heads = json.RootElement.GetProperty("heads").EnumerateArray().ToList();
        Assert.Equal(8, heads.Count);
        Assert.All(heads.Take(5), h => Assert.True(h.GetProperty("auroc").GetProperty("value").GetDouble() > 0.75, h.ToString()));
        Assert.Equal(31, json.RootElement.GetProperty("ablation").GetArrayLength());
        var targets = json.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.All(targets, t => Assert.True(t.GetProperty("met").GetBoolean(), t.ToString()));

        // The generator's documented planted shift (outcomes by age) is judged beyond the gap its own risk has over the same
        // groups; nothing is exempt, because this cohort comes from this build's generator and so has that reference.
        Assert.DoesNotContain(targets, t => t.GetProperty("exempt").GetBoolean());
        string[] outcomesByAge = ["subgroup gap: death_30d by age", "subgroup gap: icu_48h by age", "subgroup gap: readmission_30d by age"];
        var planted = targets.Where(t => outcomesByAge.Contains(t.GetProperty("target").GetString())).ToList();
        Assert.All(targets.Except(planted), t => Assert.DoesNotContain("planted shift", t.GetProperty("detail").GetString(), StringComparison.Ordinal));
        var compared = planted.Where(t => !t.GetProperty("detail").GetString()!.StartsWith("not compared", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(compared);
        Assert.All(compared, t => Assert.Contains("the generator's own risk has a gap of", t.GetProperty("detail").GetString(), StringComparison.Ordinal));
        var referenceGaps = json.RootElement.GetProperty("gaps").EnumerateArray()
            .Where(g => g.GetProperty("attribute").GetString() == "age" && g.GetProperty("label").GetString() is "death_30d" or "icu_48h" or "readmission_30d"
                && g.GetProperty("gap").ValueKind != JsonValueKind.Null).ToList();
        Assert.Equal(compared.Count, referenceGaps.Count);
        Assert.All(referenceGaps, g => Assert.InRange(g.GetProperty("referenceGap").GetDouble(), 0, 0.5));
    }

    [Fact]
    public async Task FeaturesExport_WritesTensorsNumPyReads_WithTheShapesTheModelsExpect()
    {
        var output = Path.Combine(cohort.Root, "features");

        var (code, _, error) = await RunAsync(Settings(cohort.Root), "features", "export", "--cohort", cohort.Folder, "--out", output);

        Assert.True(code == 0, error);
        var script = "import json, numpy as np, sys\n"
            + "d = sys.argv[1]\n"
            + "n = json.load(open(d + '/export.json'))['cases']\n"
            + "for name in ['tabular', 'tabular_mask', 'image', 'heart', 'lung', 'note', 'present']:\n"
            + "    a = np.load(d + '/' + name + '.npy', mmap_mode='r')\n"
            + "    assert a.shape[0] == n and a.dtype == np.float32 and np.isfinite(a).all(), name\n"
            + "    print(name, list(a.shape))\n";
        var (exit, shapes, problem) = ExternalTool.Run("/usr/bin/python3", "-c", script, output);
        Assert.True(exit == 0, problem);
        Assert.Contains("image [", shapes, StringComparison.Ordinal);
        Assert.Contains(", 1, 224, 224]", shapes, StringComparison.Ordinal);
        Assert.Contains(", 64, 500]", shapes, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllLines(Path.Combine(output, "cases.csv")).Length - 1,
            JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "export.json"))).RootElement.GetProperty("cases").GetInt32());
    }

    [Fact]
    public async Task ModelsEvaluate_WithAnUnknownModel_IsAUsageError()
    {
        var (code, _, error) = await RunAsync(Settings(cohort.Root), "models", "evaluate", "--cohort", cohort.Folder, "--model", "no-such-model");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("no-such-model", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
