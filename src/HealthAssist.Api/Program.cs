using HealthAssist.Api;

await HealthAssistApp.Build(args).RunAsync();

/// <summary>Entry point; also the anchor type for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
