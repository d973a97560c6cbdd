using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HealthAssist.IntegrationTests.Ehr;

/// <summary>How the test EHR behaves; changeable while it runs.</summary>
public sealed class TestEhrBehaviour
{
    /// <summary>null: <c>$everything</c> is supported; else the status it answers (404, 400…), as servers without it do.</summary>
    public int? EverythingUnsupportedStatus { get; set; }

    /// <summary>The largest page the server sends, whatever <c>_count</c> asks for.</summary>
    public int MaxPageSize { get; set; } = 1_000;

    /// <summary>When set, every request is answered with this status (e.g. 503), with an OperationOutcome quoting the request.</summary>
    public int? FailEveryRequestWith { get; set; }

    /// <summary>Waited before answering each request.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Resource types whose search the server refuses with 400.</summary>
    public HashSet<string> UnsupportedSearches { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the first page's next link points here instead of to the next page.</summary>
    public string? NextLinkOverride { get; set; }
}

/// <summary>
/// A minimal FHIR R4 server for one or more <see cref="EhrTestPatient"/>s, on Kestrel at 127.0.0.1 on a free port:
/// <c>Patient/{id}</c>, <c>Patient/{id}/$everything</c>, <c>{Type}?patient={id}</c> with <c>_count</c> paging through
/// <c>next</c> links, and <c>Binary/{id}</c> (raw, or FHIR JSON). Error answers carry an OperationOutcome that quotes
/// the patient id and the name canary, as careless servers do, so that tests can check nothing of it leaks.
/// </summary>
public sealed class TestEhrServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, EhrTestPatient> _patients;

    private TestEhrServer(WebApplication app, IEnumerable<EhrTestPatient> patients)
    {
        _app = app;
        _patients = patients.ToDictionary(p => p.PatientId, StringComparer.Ordinal);
    }

    public TestEhrBehaviour Behaviour { get; } = new();

    /// <summary>Every request as "path?query", in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public Uri FhirBase { get; private set; } = null!;

    public static async Task<TestEhrServer> StartAsync(params EhrTestPatient[] patients)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new TestEhrServer(app, patients);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.FhirBase = new Uri(app.Urls.Single().TrimEnd('/') + "/fhir/");
        return server;
    }

    public int CountRequests(string pathContains) => Requests.Count(r => r.Contains(pathContains, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(request.Path + request.QueryString);
        if (Behaviour.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Behaviour.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var path = request.Path.Value ?? string.Empty;
        if (!path.StartsWith("/fhir/", StringComparison.Ordinal))
        {
            await Outcome(context, 404, "not a FHIR path");
            return;
        }

        if (Behaviour.FailEveryRequestWith is { } failure)
        {
            await Outcome(context, failure, $"Overloaded while serving {path}{request.QueryString} for {EhrTestPatient.CanaryName}");
            return;
        }

        var segments = path["/fhir/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["Patient", var id, "$everything"]:
                if (Behaviour.EverythingUnsupportedStatus is { } unsupported)
                {
                    await Outcome(context, unsupported, $"Operation $everything is not supported (Patient/{id}, {EhrTestPatient.CanaryName})");
                }
                else if (_patients.TryGetValue(id, out var everyone))
                {
                    await Page(context, everyone.Resources, "searchset");
                }
                else
                {
                    await Outcome(context, 404, $"Patient/{id} is not known");
                }

                break;
            case ["Patient", var id]:
                if (_patients.TryGetValue(id, out var patient))
                {
                    await Json(context, 200, patient.Resources[0]);
                }
                else
                {
                    await Outcome(context, 404, $"Resource Patient/{id} is not known");
                }

                break;
            case ["Binary", var id]:
                await BinaryAsync(context, id);
                break;
            case [var type] when request.Query.ContainsKey("patient"):
                if (Behaviour.UnsupportedSearches.Contains(type))
                {
                    await Outcome(context, 400, $"Search on {type} is not supported");
                    break;
                }

                var holder = _patients.GetValueOrDefault(request.Query["patient"].ToString());
                var matches = holder?.Resources.Where(r => EhrTestPatient.Type(r) == type).ToList() ?? [];
                await Page(context, matches, "searchset", outcomeEntry: true);
                break;
            default:
                await Outcome(context, 404, $"Unknown path {path}");
                break;
        }
    }

    /// <summary>One page of a searchset: <c>_count</c> (capped by the behaviour) from <c>_offset</c>, with self and next links.</summary>
    private async Task Page(HttpContext context, IReadOnlyList<JsonObject> resources, string type, bool outcomeEntry = false)
    {
        var query = context.Request.Query;
        var count = Math.Min(int.TryParse(query["_count"], CultureInfo.InvariantCulture, out var c) ? c : 50, Behaviour.MaxPageSize);
        var offset = int.TryParse(query["_offset"], CultureInfo.InvariantCulture, out var o) ? o : 0;
        var entries = new JsonArray();
        foreach (var resource in resources.Skip(offset).Take(count))
        {
            entries.Add(new JsonObject
            {
                ["fullUrl"] = new Uri(FhirBase, $"{EhrTestPatient.Type(resource)}/{resource["id"]}").AbsoluteUri,
                ["resource"] = resource,
                ["search"] = new JsonObject { ["mode"] = "match" },
            });
        }

        if (outcomeEntry && offset == 0)
        {
            entries.Add(new JsonObject
            {
                ["resource"] = OperationOutcome($"Searched for {EhrTestPatient.CanaryName}"),
                ["search"] = new JsonObject { ["mode"] = "outcome" },
            });
        }

        var links = new JsonArray { new JsonObject { ["relation"] = "self", ["url"] = Url(context, offset) } };
        if (offset + count < resources.Count)
        {
            var next = offset == 0 && Behaviour.NextLinkOverride is { } other ? other : Url(context, offset + count);
            links.Add(new JsonObject { ["relation"] = "next", ["url"] = next });
        }

        await Json(context, 200, new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = type,
            ["total"] = resources.Count,
            ["link"] = links,
            ["entry"] = entries,
        });
    }

    private string Url(HttpContext context, int offset)
    {
        var query = context.Request.Query.Where(q => q.Key != "_offset").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").ToList();
        query.Add(string.Create(CultureInfo.InvariantCulture, $"_offset={offset}"));
        return new Uri(FhirBase, context.Request.Path.Value!["/fhir/".Length..] + "?" + string.Join('&', query)).AbsoluteUri;
    }

    private async Task BinaryAsync(HttpContext context, string id)
    {
        var binary = _patients.Values.Select(p => p.Binaries.GetValueOrDefault(id)).FirstOrDefault(b => b is not null);
        if (binary is null)
        {
            await Outcome(context, 404, $"Binary/{id} of {EhrTestPatient.CanaryName} is gone");
            return;
        }

        if (binary.AsFhirJson)
        {
            await Json(context, 200, new JsonObject
            {
                ["resourceType"] = "Binary",
                ["id"] = id,
                ["contentType"] = binary.ContentType,
                ["data"] = Convert.ToBase64String(binary.Data),
            });
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = binary.ContentType;
        context.Response.ContentLength = binary.Data.Length;
        await context.Response.Body.WriteAsync(binary.Data);
    }

    private static Task Outcome(HttpContext context, int status, string diagnostics) => Json(context, status, OperationOutcome(diagnostics));

    private static JsonObject OperationOutcome(string diagnostics) => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray { new JsonObject { ["severity"] = "error", ["code"] = "processing", ["diagnostics"] = diagnostics } },
    };

    private static async Task Json(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/fhir+json; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }
}
