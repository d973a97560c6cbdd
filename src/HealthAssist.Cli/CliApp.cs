using System.CommandLine;
using System.Security.Cryptography;
using HealthAssist.Cli.Commands;
using HealthAssist.Security;

namespace HealthAssist.Cli;

/// <summary>Builds the command tree and turns failures into the exit-code contract (0 ok, 1 check failed, 2 usage).</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var context = new CliContext(stdout, stderr, settings);
        var root = new RootCommand("HealthAssist clinical decision support (demonstration models, not for clinical use)")
        {
            ServeCommand.Create(context),
            TokenCommand.Create(context),
            AuditCommands.Create(context),
            BenchCommand.Create(context),
            DicomCommands.Create(context),
            SynthCommand.Create(context),
            DeidCommands.Create(context),
            FeaturesCommand.Create(context),
            ModelsCommands.Create(context),
            InferCommand.Create(context),
            AssessmentsCommands.Create(context),
        };
        root.Options.Add(CliContext.JsonOption);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"healthassist: {OneLine(parsed.Errors[0].Message)} (see --help)");
            return ExitCodes.InvalidInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception ex) when (ex is UsageException or InvalidInputException or KeyMaterialException or WeakKeyException or FileNotFoundException
            or DirectoryNotFoundException or CryptographicException or Microsoft.Extensions.Options.OptionsValidationException
            or HealthAssist.Dicom.DicomFormatException or HealthAssist.Encode.Registry.ModelContractException)
        {
            await stderr.WriteLineAsync($"healthassist: {OneLine(ex.Message)}");
            return ExitCodes.InvalidInput;
        }
        catch (HealthAssist.Encode.Registry.ModelIntegrityException ex)
        {
            await stderr.WriteLineAsync($"healthassist: {OneLine(ex.Message)}");
            return ExitCodes.CheckFailed;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("healthassist: cancelled");
            return ExitCodes.CheckFailed;
        }
        catch (Exception ex)
        {
            // The message of an unexpected exception may quote input; only its type is shown.
            await stderr.WriteLineAsync($"healthassist: unexpected {ex.GetType().Name}; rerun with the service logs for details");
            return ExitCodes.CheckFailed;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>What every command needs: output writers, configuration and the --json switch.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
{
    public static readonly Option<bool> JsonOption = new("--json") { Description = "Print machine-readable JSON on stdout", Recursive = true };

    private CliEnvironment? _environment;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public IReadOnlyDictionary<string, string?>? Settings { get; } = settings;

    public CliEnvironment Environment => _environment ??= CliEnvironment.Load(Settings);

    public static bool Json(ParseResult result) => result.GetValue(JsonOption);
}
