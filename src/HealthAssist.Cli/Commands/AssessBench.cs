using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Api;
using HealthAssist.Api.Assessments;
using HealthAssist.Api.Models;
using HealthAssist.Api.Security;
using HealthAssist.Cli.Cohorts;
using HealthAssist.Encode.Registry;
using HealthAssist.Fuse;
using HealthAssist.Pipeline;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;
using HealthAssist.Synthesis;
using Task = System.Threading.Tasks.Task;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist bench assess</c>: the load test. The API runs in this process on loopback (Development, SQLite in a
/// temporary folder, the bundled models); N clients post whole cases (record, radiograph, two recordings) to
/// <c>POST /fhir/$assess</c> for the given time. Printed beside it, in the same run: the baseline of the models alone
/// (the same N-way concurrency through the batching predictor on prepared inputs), so the cost of HTTP, de-identification,
/// input building, interpretation and the audited, fail-closed record is visible. Every 200 is checked against its
/// committed audit entry.
/// </summary>
internal static class AssessBench
{
    public static Command Create(CliContext context)
    {
        var clients = new Option<int>("--clients") { Description = "Concurrent clients", DefaultValueFactory = _ => 16 };
        var seconds = new Option<int>("--seconds") { Description = "Duration of the load", DefaultValueFactory = _ => 60 };
        var cases = new Option<int>("--cases") { Description = "Distinct synthetic cases posted round-robin", DefaultValueFactory = _ => 24 };
        var command = new Command("assess", "Load test: N clients posting whole cases to $assess, beside the models-only baseline") { clients, seconds, cases };
        command.SetAction((result, cancellationToken) =>
            RunAsync(context, result.GetValue(clients), result.GetValue(seconds), result.GetValue(cases), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int clients, int seconds, int caseCount, CancellationToken cancellationToken)
    {
        if (clients is < 1 or > 256 || seconds is < 5 or > 3600 || caseCount is < 4 or > 500)
        {
            throw new UsageException("--clients must be 1–256, --seconds 5–3600, --cases 4–500");
        }

        var root = Path.Combine(Path.GetTempPath(), $"healthassist-bench-assess-{Guid.NewGuid():N}");
        try
        {
            var cohortFolder = Path.Combine(root, "cohort");
            CohortWriter.Write(cohortFolder, new SynthesisOptions(caseCount * 2, 2026, 512, 768));
            var cohort = SyntheticCohort.Open(cohortFolder);
            var cases = cohort.Rows.Where(r => r["image"] != string.Empty && r["heart_audio"] != string.Empty && r["lung_audio"] != string.Empty
                    && !SyntheticCohort.Flag(r, "consent_denies_ai"))
                .Take(caseCount).Select(cohort.Inputs).ToList();
            var bodies = cases.Select(c => new FhirJsonSerializer().SerializeToString(AssessParameters.Write(c))).ToList();
            var hooks = cases.Select(c => HookRequest(c.FhirJson)).ToList();
            using var ehrKey = new BenchEhr();

            var app = HealthAssistApp.Build(
            [
                "--environment", "Development", "--urls", "http://127.0.0.1:0",
                $"--HealthAssist:DataDirectory={Path.Combine(root, "data")}", "--Storage:Provider=Sqlite",
                $"--Storage:ConnectionString=Data Source={Path.Combine(root, "bench.db")}", "--Storage:MigrateOnStartup=true", "--Keys:GenerateMissing=true",
                "--Auth:Mode=Development", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:HealthAssist=Warning",
                $"--Assessments:QueueLimit={clients * 4}",
                $"--CdsHooks:Clients:0:Issuer={BenchEhr.Issuer}", $"--CdsHooks:Clients:0:Jwks={ehrKey.Jwks}",
                .. ModelsSettings(context),
            ]);
            await app.StartAsync(cancellationToken);
            try
            {
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                var token = app.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue(Roles.EhrSystem, "bench-ehr");
                var model = app.Services.GetRequiredService<ModelServing>().Model ?? throw new UsageException("the models are not served; run `healthassist models verify`");
                var provider = model.Models[^1].ExecutionProvider;

                // Baseline: the models alone, same concurrency, on inputs prepared once (de-identification and input
                // building done up front, not timed).
                var secret = app.Services.GetRequiredService<KeyRing>().DeploymentSecret;
                var (deidentifier, builder) = PipelineData.Load(ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]), secret, model.Specification);
                var prepared = cases.Select(c => builder.Build(deidentifier.Deidentify(c))).ToList();
                await using var predictor = new BatchingPredictor(model);
                var baseline = await LoadAsync(clients, TimeSpan.FromSeconds(Math.Max(5, seconds / 4)), async (i, ct) =>
                {
                    await predictor.PredictAsync(prepared[i % prepared.Count], ct);
                    return 200;
                }, cancellationToken);

                // Warm-up (first ONNX runs, first JIT of every path), then the load itself.
                using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                async Task<int> PostAsync(int i, CancellationToken ct)
                {
                    using var content = new StringContent(bodies[i % bodies.Count], System.Text.Encoding.UTF8, "application/fhir+json");
                    using var response = await http.PostAsync("/fhir/$assess", content, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    return (int)response.StatusCode;
                }

                for (var i = 0; i < Math.Min(4, bodies.Count); i++)
                {
                    await PostAsync(i, cancellationToken);
                }

                var entriesBefore = await CountAssessmentsAsync(app, cancellationToken);

                var load = await LoadAsync(clients, TimeSpan.FromSeconds(seconds), PostAsync, cancellationToken);

                // CDS Hooks patient-view with prefetch (the record only, as an EHR sends it), each call with a fresh
                // signed token: the DESIGN target is under 0.5 s per hook call.
                var hookUrl = $"{address.TrimEnd('/')}/cds-services/{HealthAssist.Api.CdsHooks.CdsHooksApi.PatientViewServiceId}";
                using var cds = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
                async Task<int> HookAsync(int i, CancellationToken ct)
                {
                    using var message = new HttpRequestMessage(HttpMethod.Post, hookUrl) { Content = new StringContent(hooks[i % hooks.Count], System.Text.Encoding.UTF8, "application/json") };
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ehrKey.Token(hookUrl));
                    using var response = await cds.SendAsync(message, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    return (int)response.StatusCode;
                }

                var hookLoad = await LoadAsync(clients, TimeSpan.FromSeconds(Math.Max(5, seconds / 2)), HookAsync, cancellationToken);
                var audited = await CountAssessmentsAsync(app, cancellationToken) - entriesBefore;

                var ok = load.Statuses.GetValueOrDefault(200) + hookLoad.Statuses.GetValueOrDefault(200);
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"bench assess: {clients} clients, {cases.Count} cases (record + radiograph + heart + lung), {Environment.ProcessorCount} cores, models on {provider}"));
                await context.Out.WriteLineAsync("                                       cases/s   p50 ms   p95 ms   p99 ms   requests");
                await Row(context, "baseline: models only (batching)", baseline);
                await Row(context, "POST /fhir/$assess (whole pipeline)", load);
                await Row(context, "CDS patient-view (prefetch, record)", hookLoad);
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"statuses: $assess {Statuses(load)}, CDS {Statuses(hookLoad)}; audit entries committed for the 200s: {audited} of {ok}"));
                return audited == ok && load.Statuses.Keys.Concat(hookLoad.Statuses.Keys).All(s => s is 200 or 503) ? ExitCodes.Success : ExitCodes.CheckFailed;
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Statuses(LoadResult result) => string.Join(", ", result.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));

    /// <summary>A patient-view request whose prefetch holds the Patient and the rest of the record in one collection.</summary>
    private static string HookRequest(string recordJson)
    {
        var record = new FhirJsonDeserializer().Deserialize<Bundle>(recordJson);
        var patient = record.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        var serializer = new FhirJsonSerializer();
        return new System.Text.Json.Nodes.JsonObject
        {
            ["hook"] = "patient-view",
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["context"] = new System.Text.Json.Nodes.JsonObject { ["userId"] = "Practitioner/bench", ["patientId"] = patient.Id },
            ["prefetch"] = new System.Text.Json.Nodes.JsonObject
            {
                ["patient"] = System.Text.Json.Nodes.JsonNode.Parse(serializer.SerializeToString(patient)),
                ["record"] = System.Text.Json.Nodes.JsonNode.Parse(serializer.SerializeToString(new Bundle
                {
                    Type = Bundle.BundleType.Collection,
                    Entry = [.. record.Entry.Where(e => e.Resource is not Patient).Select(e => new Bundle.EntryComponent { FullUrl = e.FullUrl, Resource = e.Resource })],
                })),
            },
        }.ToJsonString();
    }

    /// <summary>The load test's stand-in EHR: an ES384 key, its JWK Set, and a fresh signed CDS Hooks token per call.</summary>
    private sealed class BenchEhr : IDisposable
    {
        public const string Issuer = "https://bench-ehr.invalid";
        private readonly System.Security.Cryptography.ECDsa _key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);

        public string Jwks
        {
            get
            {
                var p = _key.ExportParameters(false);
                return System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { new { kty = "EC", kid = "bench-1", crv = "P-384",
                    x = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Q.X), y = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Q.Y) } } });
            }
        }

        public string Token(string audience)
        {
            var now = TimeProvider.System.GetUtcNow();
            return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Claims = new Dictionary<string, object>
                {
                    ["iss"] = Issuer, ["sub"] = "bench-client", ["aud"] = audience, ["jti"] = Guid.NewGuid().ToString(),
                    ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddMinutes(4).ToUnixTimeSeconds(),
                },
                SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                    new Microsoft.IdentityModel.Tokens.ECDsaSecurityKey(_key) { KeyId = "bench-1" }, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha384),
            });
        }

        public void Dispose() => _key.Dispose();
    }

    private static async Task<int> CountAssessmentsAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HealthAssistDbContext>();
        return await db.AuditEntries.CountAsync(e => e.EventType == AuditEventTypes.AssessmentCreate, cancellationToken);
    }

    private sealed record LoadResult(int Requests, double Seconds, List<double> LatenciesMs, IReadOnlyDictionary<int, int> Statuses);

    private static async Task<LoadResult> LoadAsync(int clients, TimeSpan duration, Func<int, CancellationToken, Task<int>> call, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var statuses = new ConcurrentDictionary<int, int>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var status = await call(Interlocked.Increment(ref next), cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            }
        }, cancellationToken)));
        var list = latencies.ToList();
        list.Sort();
        return new LoadResult(list.Count, clock.Elapsed.TotalSeconds, list, statuses);
    }

    private static Task Row(CliContext context, string name, LoadResult result) =>
        context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{name,-38} {result.Requests / result.Seconds,8:0.0} {BenchTiming.Percentile(result.LatenciesMs, 50),8:0.0} {BenchTiming.Percentile(result.LatenciesMs, 95),8:0.0} {BenchTiming.Percentile(result.LatenciesMs, 99),8:0.0} {result.Requests,10}"));

    private static readonly string[] ModelKeys = ["Models:Path", "Models:PreferCuda", "Models:IntraOpThreads", "Models:CudaDeviceId"];

    private static IEnumerable<string> ModelsSettings(CliContext context) =>
        ModelKeys
            .Where(key => context.Environment.Configuration[key] is not null)
            .Select(key => $"--{key}={context.Environment.Configuration[key]}");
}
