namespace HealthAssist.Security;

/// <summary>What a caller may do. Endpoints demand permissions; roles grant them (see <see cref="RolePermissions"/>).</summary>
[Flags]
public enum Permissions
{
    None = 0,
    SubmitAssessment = 1 << 0,
    ReadAssessment = 1 << 1,
    ReviewAssessment = 1 << 2,
    ReadAudit = 1 << 3,
    ExportAudit = 1 << 4,
    VerifyAudit = 1 << 5,
    CreateAuditCheckpoint = 1 << 6,
    RunStudy = 1 << 7,
    ReadStudy = 1 << 8,
    ReadModels = 1 << 9,
    ManageModels = 1 << 10,
}

/// <summary>The application roles, as they appear in the token's <c>roles</c> claim.</summary>
public static class Roles
{
    public const string Clinician = "Clinician";
    public const string ComplianceOfficer = "ComplianceOfficer";
    public const string Researcher = "Researcher";
    public const string EhrSystem = "EhrSystem";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Clinician, ComplianceOfficer, Researcher, EhrSystem, Admin];
}

/// <summary>
/// The one role → permission matrix. <c>compliance/role-permissions.md</c> documents it and a test keeps the two equal.
/// Separation of duties: Admin operates the service (integrity checks, checkpoints, models) but reads neither
/// clinical results nor audit content.
/// </summary>
public static class RolePermissions
{
    private static readonly Dictionary<string, Permissions> Matrix = new(StringComparer.Ordinal)
    {
        [Roles.Clinician] = Permissions.SubmitAssessment | Permissions.ReadAssessment | Permissions.ReviewAssessment | Permissions.ReadModels,
        [Roles.EhrSystem] = Permissions.SubmitAssessment | Permissions.ReadAssessment,
        [Roles.ComplianceOfficer] = Permissions.ReadAudit | Permissions.ExportAudit | Permissions.VerifyAudit
            | Permissions.CreateAuditCheckpoint | Permissions.ReadModels,
        [Roles.Researcher] = Permissions.RunStudy | Permissions.ReadStudy | Permissions.ReadModels,
        [Roles.Admin] = Permissions.VerifyAudit | Permissions.CreateAuditCheckpoint | Permissions.ReadModels | Permissions.ManageModels,
    };

    public static Permissions For(string role) => Matrix.GetValueOrDefault(role, Permissions.None);

    public static Permissions For(IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Aggregate(Permissions.None, (granted, role) => granted | For(role));
    }
}
