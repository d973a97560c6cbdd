using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Storage;

namespace HealthAssist.IntegrationTests.Api;

public sealed class HostTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async System.Threading.Tasks.Task Ready_OnAFreshDatabase_ReportsDatabaseAndKeysHealthy(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        await using var factory = new HealthAssistFactory(database);
        var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("keys").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("models").GetProperty("status").GetString());
    }

    [Fact]
    public async System.Threading.Tasks.Task Ready_WhenABundledModelFileIsTampered_ReportsUnavailable()
    {
        var models = Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}");
        CopyDirectory(Path.Combine(RepositoryPaths.Root, "models"), models);
        try
        {
            var encoder = Directory.EnumerateFiles(Path.Combine(models, "note-encoder"), "model.onnx", SearchOption.AllDirectories).First();
            var bytes = await File.ReadAllBytesAsync(encoder);
            bytes[bytes.Length / 2] ^= 0x20;
            await File.WriteAllBytesAsync(encoder, bytes);
            await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, migrate: false);
            await using var factory = new HealthAssistFactory(database, settings: new Dictionary<string, string?> { ["Models:Path"] = models });
            var client = factory.CreateClient();

            var ready = await client.GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            Assert.Equal("Unhealthy", body.RootElement.GetProperty("checks").GetProperty("models").GetProperty("status").GetString());
            Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(source, target, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(source, target, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Ready_WhenMigrationsAreNotApplied_ReportsUnavailable()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, migrate: false);
        await database.ExecuteAsync("CREATE TABLE unrelated (x integer)"); // the database exists, the schema does not
        await using var factory = new HealthAssistFactory(database, settings: new Dictionary<string, string?> { ["Storage:MigrateOnStartup"] = "false" });
        var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("\"database\":{\"status\":\"Unhealthy\"}", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(factory.Logs.Lines, l => l.Contains("migration(s) not applied", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task DataFolderKeysAndDatabaseFiles_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, migrate: false);
        await using var factory = new HealthAssistFactory(database, settings: new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "Data Source={DataDirectory}/healthassist.db",
        });
        var ready = await factory.CreateClient().GetAsync("/health/ready");

        const UnixFileMode ownerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(ownerOnlyFile | UnixFileMode.UserExecute, File.GetUnixFileMode(factory.DataDirectory));
        foreach (var file in Directory.EnumerateFiles(factory.DataDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.GetUnixFileMode(file) == ownerOnlyFile, $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
        }

        // Write-ahead logging is persistent in the file; the -wal file itself comes and goes with open connections.
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "healthassist.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task OpenApiDocument_DescribesTheAuditRoutesAndBearerAuth()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var client = factory.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");
        var browsable = await client.GetAsync("/scalar/v1");

        using var json = JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/audit/entries", out _));
        Assert.True(paths.TryGetProperty("/api/audit/exports", out _));
        Assert.Contains("bearer", document, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, browsable.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task FhirMetadata_IsAnR4CapabilityStatement()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var client = factory.CreateClient();

        var response = await client.GetAsync("/fhir/metadata");

        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var statement = new FhirJsonDeserializer().Deserialize<CapabilityStatement>(await response.Content.ReadAsStringAsync());
        Assert.NotNull(statement);
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        Assert.Equal("HealthAssist", statement.Software?.Name);
    }

    [Fact]
    public async System.Threading.Tasks.Task Startup_WhenAWeakDeploymentSecretIsConfigured_Fails()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database, settings: new Dictionary<string, string?>
        {
            ["Keys:DeploymentSecret"] = Convert.ToBase64String(new byte[32]),
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Deployment secret refused", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Startup_WhenDevelopmentAuthIsConfiguredInProduction_Fails()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database, settings: new Dictionary<string, string?>
        {
            ["Keys:GenerateMissing"] = "false",
            ["environment"] = "Production",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Auth:Mode=Development is allowed only in the Development environment", error.ToString(), StringComparison.Ordinal);
    }
}
