using System.Net.Http.Headers;
using System.Text;
using HealthAssist.Api.Configuration;
using HealthAssist.Api.Security;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HealthAssist.IntegrationTests.Api;

/// <summary>Every route × every caller (each role, anonymous, expired, wrong audience, wrong signing key) against the matrix.</summary>
public sealed class AuthorizationMatrixTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    // One valid request per route; a route missing here fails Matrix_CoversEveryRoute, so new routes join the matrix.
    private static readonly Dictionary<string, Func<HttpRequestMessage>> Requests = new(StringComparer.Ordinal)
    {
        ["GET /health/live"] = () => new(HttpMethod.Get, "/health/live"),
        ["GET /health/ready"] = () => new(HttpMethod.Get, "/health/ready"),
        ["GET /openapi/{documentName}.json"] = () => new(HttpMethod.Get, "/openapi/v1.json"),
        ["GET /scalar/{documentName?}"] = () => new(HttpMethod.Get, "/scalar/v1"),
        ["GET /scalar/scalar.js"] = () => new(HttpMethod.Get, "/scalar/scalar.js"),
        ["GET /scalar/scalar.aspnetcore.js"] = () => new(HttpMethod.Get, "/scalar/scalar.aspnetcore.js"),
        ["GET /scalar/favicon.svg"] = () => new(HttpMethod.Get, "/scalar/favicon.svg"),
        ["GET /fhir/metadata"] = () => new(HttpMethod.Get, "/fhir/metadata"),
        ["GET /api/audit/entries"] = () => new(HttpMethod.Get, "/api/audit/entries?limit=5"),
        ["GET /api/audit/verify"] = () => new(HttpMethod.Get, "/api/audit/verify"),
        ["GET /api/audit/checkpoints"] = () => new(HttpMethod.Get, "/api/audit/checkpoints"),
        ["POST /api/audit/checkpoints"] = () => new(HttpMethod.Post, "/api/audit/checkpoints"),
        ["POST /api/audit/exports"] = () => new(HttpMethod.Post, "/api/audit/exports") { Content = new StringContent("{\"format\":\"csv\"}", Encoding.UTF8, "application/json") },
        ["POST /fhir/$assess"] = () => new(HttpMethod.Post, "/fhir/$assess") { Content = new StringContent("{\"resourceType\":\"Parameters\"}", Encoding.UTF8, "application/fhir+json") },
        ["POST /fhir/Patient/{id}/$assess"] = () => new(HttpMethod.Post, "/fhir/Patient/not%20an%20id/$assess"),
        ["GET /fhir/OperationDefinition/assess"] = () => new(HttpMethod.Get, "/fhir/OperationDefinition/assess"),
        ["GET /cds-services/"] = () => new(HttpMethod.Get, "/cds-services"),
        ["POST /cds-services/{id}"] = () => new(HttpMethod.Post, "/cds-services/healthassist-patient-view") { Content = new StringContent("{}", Encoding.UTF8, "application/json") },
        ["POST /cds-services/{id}/feedback"] = () => new(HttpMethod.Post, "/cds-services/healthassist-patient-view/feedback") { Content = new StringContent("{}", Encoding.UTF8, "application/json") },
        ["GET /models/{name}/{version}/card.md"] = () => new(HttpMethod.Get, "/models/fusion/4.0.0/card.md"),
    };

    public static TheoryData<string> Callers()
    {
        var callers = new TheoryData<string> { "anonymous", "expired", "wrong-audience", "wrong-key" };
        foreach (var role in Roles.All)
        {
            callers.Add(role);
        }

        return callers;
    }

    private IReadOnlyList<(string Key, Permissions? Permission, bool CdsClientOnly)> Routes()
    {
        var sources = fixture.Factory.Services.GetServices<EndpointDataSource>();
        return sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => ($"{m} /{e.RoutePattern.RawText?.TrimStart('/')}", e.Metadata.GetMetadata<RequiredPermissionMetadata>()?.Permission,
                    e.Metadata.GetMetadata<HealthAssist.Api.CdsHooks.CdsClientAuthenticationMetadata>() is not null)))
            .Distinct()
            .ToList();
    }

    [Fact]
    public void Matrix_CoversEveryRoute()
    {
        var missing = Routes().Select(r => r.Key).Where(k => !Requests.ContainsKey(k)).ToList();

        Assert.True(missing.Count == 0, "Routes without a matrix request: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task EveryRoute_AnswersTheCallerAsTheMatrixSays(string caller)
    {
        var client = fixture.Factory.CreateClient();
        var token = TokenFor(caller);
        var failures = new List<string>();

        foreach (var (key, permission, cdsClientOnly) in Routes())
        {
            using var request = Requests[key]();
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var expected = permission switch
            {
                // CDS Hooks calls carry the EHR's own signed JWT; no portal token (of any role) opens them.
                null when cdsClientOnly => "401",
                null => "allowed",
                _ when Roles.All.Contains(caller) => RolePermissions.For(caller).HasFlag(permission.Value) ? "allowed" : "403",
                _ => "401",
            };
            var ok = expected switch
            {
                "allowed" => status is not (401 or 403) && status < 500,
                _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture) == expected,
            };
            if (!ok)
            {
                failures.Add($"{key} as {caller}: expected {expected}, got {status}");
            }

            if (status is 401 or 403)
            {
                // FHIR routes answer with an OperationOutcome, all others with ProblemDetails.
                Assert.Equal(key.Contains(" /fhir/", StringComparison.Ordinal) ? "application/fhir+json" : "application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private string? TokenFor(string caller)
    {
        var services = fixture.Factory.Services;
        var auth = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        return caller switch
        {
            "anonymous" => null,
            "expired" => fixture.Factory.Token(Roles.Admin, TimeSpan.FromMinutes(-5)),
            "wrong-audience" => new DevelopmentTokenIssuer(services.GetRequiredService<DevelopmentSigningKey>(),
                Options.Create(new AuthOptions { Audience = "api://another-service", DevelopmentIssuer = auth.DevelopmentIssuer }), TimeProvider.System).Issue(Roles.Admin),
            "wrong-key" => new DevelopmentTokenIssuer(OtherSigningKey(), Options.Create(auth), TimeProvider.System).Issue(Roles.ComplianceOfficer),
            _ => fixture.Factory.Token(caller),
        };
    }

    private static DevelopmentSigningKey OtherSigningKey()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ha-otherkey-{Guid.NewGuid():N}");
        var paths = new DataPaths(directory, Path.GetTempPath());
        return new DevelopmentSigningKey(Options.Create(new KeyOptions { Directory = directory, GenerateMissing = true }), paths);
    }
}
