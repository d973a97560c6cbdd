using System.Net;
using System.Text;
using System.Text.Json;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Security;

namespace HealthAssist.IntegrationTests.Api;

/// <summary>Bad input gets a 4xx with ProblemDetails (OperationOutcome on /fhir), never a 500.</summary>
public sealed class BadInputTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    private HttpClient Officer => fixture.Factory.ClientAs(Roles.ComplianceOfficer);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)expected, document.RootElement.GetProperty("status").GetInt32());
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData("{\"format\": ")]
    [InlineData("{\"format\": \"csv\",}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"format\": 5}")]
    [InlineData("{\"format\":\"csv\",\"from\":\"yesterday\"}")]
    [InlineData("")]
    public async Task MalformedJson_IsRejectedWithBadRequest(string body)
    {
        var response = await Officer.PostAsync("/api/audit/exports", Json(body));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task WrongContentType_IsRejectedWithUnsupportedMediaType()
    {
        var response = await Officer.PostAsync("/api/audit/exports", new StringContent("format=csv", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task OversizedBodyWithDeclaredLength_IsRejectedBeforeItIsRead()
    {
        var body = "{\"format\":\"csv\",\"eventType\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";

        var response = await Officer.PostAsync("/api/audit/exports", Json(body));

        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task OversizedChunkedBody_IsCutOffAtTheLimit()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"format\":\"csv\",\"eventType\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await Officer.PostAsync("/api/audit/exports", content);

        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("/api/audit/entries?limit=0")]
    [InlineData("/api/audit/entries?limit=5000")]
    [InlineData("/api/audit/entries?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    public async Task InvalidQueryValues_AreReportedAsValidationProblems(string url)
    {
        var response = await Officer.GetAsync(url);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData("/api/audit/entries?limit=abc")]
    [InlineData("/api/audit/entries?from=not-a-date")]
    public async Task UnparseableQueryValues_AreBadRequests(string url)
    {
        var response = await Officer.GetAsync(url);

        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ARealIdentifierInPlaceOfAPseudonym_IsRefusedWithoutBeingEchoed()
    {
        var response = await Officer.GetAsync("/api/audit/entries?patient=MRN-CANARY-90210");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("90210", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownApiRoute_IsNotFoundProblem()
    {
        var response = await Officer.GetAsync("/api/nothing-here");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/fhir/Nothing/123", HttpStatusCode.NotFound, "not-found")]
    [InlineData("POST", "/fhir/metadata", HttpStatusCode.MethodNotAllowed, "not-supported")]
    public async Task FhirErrors_AreOperationOutcomes(string method, string url, HttpStatusCode expected, string issueCode)
    {
        var response = await fixture.Factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? Json("{}") : null });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        using var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("OperationOutcome", outcome.RootElement.GetProperty("resourceType").GetString());
        var issue = outcome.RootElement.GetProperty("issue")[0];
        Assert.Equal("error", issue.GetProperty("severity").GetString());
        Assert.Equal(issueCode, issue.GetProperty("code").GetString());
    }

    [Fact]
    public async Task OversizedFhirRequest_IsAnOperationOutcomeTooCostly()
    {
        var content = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/fhir+json");

        var response = await fixture.Factory.CreateClient().PostAsync("/fhir/metadata", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too-costly", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A body whose length the client cannot announce, so it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
