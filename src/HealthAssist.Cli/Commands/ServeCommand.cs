using System.CommandLine;
using HealthAssist.Api;
using Microsoft.Extensions.Hosting;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist serve</c>: the API, exactly as <c>dotnet run --project src/HealthAssist.Api</c> runs it.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "Run the API (honours ASPNETCORE_URLS and the usual configuration)");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var app = HealthAssistApp.Build([.. result.UnmatchedTokens]);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
