using System.Text.RegularExpressions;
using HealthAssist.Security;

namespace HealthAssist.UnitTests.Security;

public sealed class RolePermissionsTests
{
    [Fact]
    public void Admin_OperatesTheServiceButReadsNeitherClinicalResultsNorAuditContent()
    {
        var admin = RolePermissions.For(Roles.Admin);

        Assert.True(admin.HasFlag(Permissions.VerifyAudit));
        Assert.False(admin.HasFlag(Permissions.ReadAudit));
        Assert.False(admin.HasFlag(Permissions.ReadAssessment));
        Assert.False(admin.HasFlag(Permissions.ExportAudit));
    }

    [Fact]
    public void UnknownRoles_GrantNothing()
    {
        Assert.Equal(Permissions.None, RolePermissions.For(["Nurse", "admin"]));
    }

    [Fact]
    public void ComplianceMatrixDocument_StatesExactlyTheMatrixInCode()
    {
        var document = File.ReadAllLines(Path.Combine(RepositoryRoot(), "compliance", "role-permissions.md"));
        var header = document.First(l => l.StartsWith("| Permission", StringComparison.Ordinal));
        var roles = header.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(Roles.All.Order(), roles.Order());

        var documented = new Dictionary<Permissions, HashSet<string>>();
        foreach (var line in document.SkipWhile(l => l != header).Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries)[1..^1];
            var permission = Enum.Parse<Permissions>(Regex.Match(cells[0], "`?(\\w+)`?").Groups[1].Value);
            documented[permission] = roles.Where((_, i) => cells[i + 1].Contains('✓', StringComparison.Ordinal)).ToHashSet();
        }

        foreach (var permission in Enum.GetValues<Permissions>().Where(p => p != Permissions.None))
        {
            Assert.True(documented.ContainsKey(permission), $"{permission} is missing from compliance/role-permissions.md");
            var inCode = Roles.All.Where(r => RolePermissions.For(r).HasFlag(permission)).ToHashSet();
            Assert.True(inCode.SetEquals(documented[permission]), $"{permission}: code grants [{string.Join(",", inCode)}], document says [{string.Join(",", documented[permission])}]");
        }
    }

    internal static string RepositoryRoot() => RepositoryPaths.Root;
}
