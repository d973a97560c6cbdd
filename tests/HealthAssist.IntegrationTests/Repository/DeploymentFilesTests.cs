using HealthAssist.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace HealthAssist.IntegrationTests.Repository;

/// <summary>docker-compose.yml cannot be run here (no Docker engine); these tests keep it coherent with the code.</summary>
public sealed class DeploymentFilesTests
{
    private static YamlMappingNode Compose()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) =>
        (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    [Fact]
    public void Compose_RunsTheApiOnSqlServerWithHealthChecksAndAPersistentDataVolume()
    {
        var api = Service("api");
        var sqlserver = Service("sqlserver");
        var environment = (YamlMappingNode)api["environment"];

        Assert.Equal("SqlServer", environment["Storage__Provider"].ToString());
        Assert.Equal("EntraId", environment["Auth__Mode"].ToString());
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"].ToString());
        Assert.Contains("/health/ready", api["healthcheck"].ToString(), StringComparison.Ordinal);
        Assert.True(sqlserver.Children.ContainsKey("healthcheck"));
        Assert.Contains(((YamlSequenceNode)api["volumes"]).Children, v => v.ToString().StartsWith("healthassist-data:", StringComparison.Ordinal));
        Assert.True(((YamlMappingNode)Compose()["volumes"]).Children.ContainsKey("healthassist-data"));
    }

    [Fact]
    public void Compose_MigratesWithTheReviewedScriptThatExistsInTheRepository()
    {
        var command = Service("db-migrate")["command"].ToString();

        Assert.Contains("/db/sqlserver/healthassist.sql", command, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "db", "sqlserver", "healthassist.sql")));
    }

    [Fact]
    public void Compose_NamesOnlyConfigurationKeysTheApiBinds()
    {
        var known = new[] { "ASPNETCORE_", "Storage__", "Auth__", "AzureAd__", "Keys__", "HealthAssist__", "OTEL_" };
        var environment = (YamlMappingNode)Service("api")["environment"];

        foreach (var key in environment.Children.Keys.Select(k => k.ToString()))
        {
            Assert.Contains(known, prefix => key.StartsWith(prefix, StringComparison.Ordinal));
        }
    }
}
