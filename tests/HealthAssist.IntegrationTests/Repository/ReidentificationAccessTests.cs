using System.Reflection;
using HealthAssist.Deidentify.Reidentification;
using HealthAssist.Storage.Reidentification;

namespace HealthAssist.IntegrationTests.Repository;

/// <summary>
/// The re-identification map is readable only by the EHR write-back path: no code outside a <c>WriteBack</c> namespace
/// takes the resolver (or the vault or cipher behind it) as a parameter, minimal-API handlers and lambdas included.
/// </summary>
public sealed class ReidentificationAccessTests
{
    private static readonly Type[] Guarded = [typeof(IWriteBackIdentityResolver), typeof(ReidentificationVault), typeof(ReidentificationCipher)];

    [Fact]
    public void OnlyTheWriteBackPath_TakesTheIdentityResolver()
    {
        var assemblies = new[] { "HealthAssist.Core", "HealthAssist.Storage", "HealthAssist.Api", "healthassist", "HealthAssist.DicomWeb", "HealthAssist.Dicom" }
            .Select(Assembly.Load).ToList();
        const BindingFlags everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        var offenders = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => !Guarded.Contains(t) && !(t.Namespace ?? string.Empty).Split('.').Contains("WriteBack"))
            .SelectMany(t => t.GetConstructors(everything).Cast<MethodBase>().Concat(t.GetMethods(everything)).Select(m => (Type: t, Method: m)))
            .Where(x => x.Method.GetParameters().Any(p => Guarded.Contains(p.ParameterType)))
            .Select(x => $"{x.Type.FullName}.{x.Method.Name}")
            .ToList();

        Assert.True(offenders.Count == 0, "re-identification reachable from: " + string.Join(", ", offenders));
    }
}
