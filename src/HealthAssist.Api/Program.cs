using HealthAssist.Api.Configuration;
using HealthAssist.Api;

var app = HealthAssistApp.Build(args);
await app.InitializeAsync();
await app.RunAsync();

/// <summary>Entry point; also the anchor type for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
