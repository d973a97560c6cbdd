using System.CommandLine;
using HealthAssist.Api.Configuration;
using HealthAssist.Api.Security;
using HealthAssist.Security;
using Microsoft.Extensions.Options;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist token --role ROLE</c>: a development JWT, printed as the last line of stdout.</summary>
internal static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var role = new Option<string>("--role") { Description = $"One of: {string.Join(", ", Roles.All)}", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var subject = new Option<string>("--subject") { Description = "Subject (user or system id) of the token", DefaultValueFactory = _ => "dev-user" };
        var command = new Command("token", "Print a locally signed development token for a role (Development environment only)") { role, subject };
        command.SetAction(async (result, _) =>
        {
            var environment = context.Environment;
            if (!environment.IsDevelopment)
            {
                throw new UsageException($"token is available only in the Development environment (current: {environment.EnvironmentName}); set DOTNET_ENVIRONMENT=Development.");
            }

            var auth = environment.Get<AuthOptions>(AuthOptions.Section);
            var keys = environment.Get<KeyOptions>(KeyOptions.Section);
            var issuer = new DevelopmentTokenIssuer(new DevelopmentSigningKey(Options.Create(keys), environment.Paths), Options.Create(auth), TimeProvider.System);
            var token = issuer.Issue(result.GetRequiredValue(role), result.GetRequiredValue(subject));
            if (CliContext.Json(result))
            {
                await context.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new { role = result.GetValue(role), token }));
            }
            else
            {
                await context.Out.WriteLineAsync($"# {result.GetValue(role)} token, valid {auth.DevelopmentTokenLifetime}; use as: Authorization: Bearer <token>");
                await context.Out.WriteLineAsync(token);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
