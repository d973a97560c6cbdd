using System.Net;
using System.Net.Http.Headers;
using HealthAssist.Cli;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.IntegrationTests.Storage;
using HealthAssist.Security;
using HealthAssist.Storage;

namespace HealthAssist.IntegrationTests.Cli;

public sealed class CliTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"ha-cli-{Guid.NewGuid():N}");
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private Dictionary<string, string?> Settings(string environment = "Development") => new()
    {
        ["Environment"] = environment,
        ["HealthAssist:DataDirectory"] = _dataDirectory,
        ["Storage:Provider"] = "Sqlite",
        ["Storage:ConnectionString"] = _database.ConnectionString,
        ["Keys:GenerateMissing"] = environment == "Development" ? "true" : "false",
    };

    internal static async Task<(int Code, string Out, string Error)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, settings);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("token")]
    [InlineData("token", "--role", "Nurse")]
    [InlineData("audit", "verify", "--unknown")]
    public async Task UsageErrors_ExitWithTwoAndOneLineOnStderr(params string[] args)
    {
        var (code, _, error) = await RunAsync(Settings(), args);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("healthassist: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_OutsideDevelopment_IsRefused()
    {
        var (code, output, error) = await RunAsync(Settings("Production"), "token", "--role", "Clinician");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Empty(output);
        Assert.Contains("Development", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_InDevelopment_IsAcceptedByTheApiSharingItsDataFolder()
    {
        var (code, output, _) = await RunAsync(Settings(), "token", "--role", "ComplianceOfficer");
        var token = output.TrimEnd().Split('\n')[^1];
        await using var factory = new HealthAssistFactory(_database, settings: new Dictionary<string, string?> { ["HealthAssist:DataDirectory"] = _dataDirectory });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync("/api/audit/entries");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AuditVerify_OnAnIntactTrail_ExitsZeroAndRecordsTheCheck()
    {
        using (var keys = LoadKeys())
        {
            await new AuditStoreBuilder(_database, keys).AppendAsync(5);
        }

        var (code, output, _) = await RunAsync(Settings(), "audit", "verify", "--json");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("\"isIntact\": true", output, StringComparison.Ordinal);
        Assert.Equal(6L, Convert.ToInt64(await _database.ScalarAsync("SELECT COUNT(*) FROM audit_entries"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AuditVerify_OnATamperedTrail_ExitsOneNamingTheFirstBadSequenceAndRecordsNothing()
    {
        using (var keys = LoadKeys())
        {
            await new AuditStoreBuilder(_database, keys).AppendAsync(10);
        }

        await _database.DropAppendOnlyTriggersAsync();
        await _database.ExecuteAsync("UPDATE audit_entries SET actor_roles = 'Admin' WHERE sequence = 6");

        var (code, output, _) = await RunAsync(Settings(), "audit", "verify");

        Assert.Equal(ExitCodes.CheckFailed, code);
        Assert.Contains("first bad sequence: 6", output, StringComparison.Ordinal);
        Assert.Equal(10L, Convert.ToInt64(await _database.ScalarAsync("SELECT COUNT(*) FROM audit_entries"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AuditCheckpoint_SignsTheHeadAndVerifyThenChecksIt()
    {
        using (var keys = LoadKeys())
        {
            await new AuditStoreBuilder(_database, keys).AppendAsync(4);
        }

        var (checkpointCode, checkpointOut, _) = await RunAsync(Settings(), "audit", "checkpoint");
        var (verifyCode, verifyOut, _) = await RunAsync(Settings(), "audit", "verify", "--json");

        Assert.Equal(ExitCodes.Success, checkpointCode);
        Assert.Contains("sequence 4", checkpointOut, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, verifyCode);
        Assert.Contains("\"checkpointsChecked\": 1", verifyOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_WithoutKeyMaterialInProduction_ExitsTwoNamingTheMissingFile()
    {
        var (code, _, error) = await RunAsync(Settings("Production"), "audit", "verify");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains(KeyRing.DeploymentSecretFile, error, StringComparison.Ordinal);
    }

    private KeyRing LoadKeys() => KeyRing.Load(new KeyRingSettings(Path.Combine(_dataDirectory, "keys"), null, GenerateMissing: true));
    [Fact]
    public async Task DeidFhir_WithAMicrosoftAnonymizerConfiguration_RemovesWhatItDoesNotKeep_AndReportsUnsupportedRules()
    {
        Directory.CreateDirectory(_dataDirectory);
        var input = Path.Combine(_dataDirectory, "in.json");
        var output = Path.Combine(_dataDirectory, "out", "patient.json");
        var config = Path.Combine(_dataDirectory, "msft.json");
        var report = Path.Combine(_dataDirectory, "report.json");
        await File.WriteAllTextAsync(input, """{"resourceType":"Patient","id":"p1","gender":"male","name":[{"family":"Canary"}],"birthDate":"1960-01-02"}""");
        await File.WriteAllTextAsync(config, """
            {"fhirVersion":"R4","fhirPathRules":[{"path":"Resource.id","method":"cryptoHash"},{"path":"Patient.gender","method":"keep"},
             {"path":"nodesByType('HumanName')","method":"keep"}],"parameters":{}}
            """);

        var (code, _, error) = await RunAsync(Settings(), "deid", "fhir", input, output, "--profile", config, "--report", report);

        Assert.Equal(ExitCodes.Success, code);
        var written = await File.ReadAllTextAsync(output);
        Assert.DoesNotContain("Canary", written, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1960", written, StringComparison.Ordinal);
        Assert.Contains("\"gender\":\"male\"", written, StringComparison.Ordinal);
        using var reportJson = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.StartsWith("nodesByType('HumanName')", reportJson.RootElement.GetProperty("unsupportedRules")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("1 rule(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeidFhir_OfInvalidJson_ExitsWithTwo_WithoutEchoingTheInput()
    {
        Directory.CreateDirectory(_dataDirectory);
        var input = Path.Combine(_dataDirectory, "broken.json");
        await File.WriteAllTextAsync(input, """{"resourceType":"Patient","name":[{"family":"Canary" """);

        var (code, _, error) = await RunAsync(Settings(), "deid", "fhir", input, Path.Combine(_dataDirectory, "out.json"));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("Canary", error, StringComparison.OrdinalIgnoreCase);
    }
}
