using HealthAssist.Record.Audit;

namespace HealthAssist.UnitTests.Architecture;

public sealed class LayeringTests
{
    [Fact]
    public void PipelineCore_ReferencesNeitherAspNetCoreNorEntityFramework()
    {
        var references = typeof(AuditChain).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Ingest")]
    [InlineData("Deidentify")]
    [InlineData("Encode")]
    [InlineData("Fuse")]
    [InlineData("Interpret")]
    [InlineData("Record")]
    public void EveryPipelineStage_HasAFolderNamedForIt(string stage)
    {
        Assert.True(Directory.Exists(Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "src", "HealthAssist.Core", stage)));
    }
}
