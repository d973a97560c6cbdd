using System.CommandLine;
using System.Text.Json;
using HealthAssist.Encode.Registry;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist models list|verify|seal</c>: the registry under <c>models/</c> (or <c>Models:Path</c>).</summary>
internal static class ModelsCommands
{
    public static Command Create(CliContext context)
    {
        var models = new Command("models", "The model registry: list, verify hashes, seal a model folder, evaluate");

        var list = new Command("list", "Models in the registry with version, kind and SHA-256 of model.onnx");
        list.SetAction(async (result, _) =>
        {
            var registry = Registry(context);
            var rows = registry.Models.Select(m => new
            {
                name = m.Manifest.Name, version = m.Manifest.Version, kind = m.Manifest.Kind, modality = m.Manifest.Modality,
                sha256 = m.ModelSha256, bytes = File.Exists(m.ModelPath) ? new FileInfo(m.ModelPath).Length : 0,
            }).ToList();
            if (CliContext.Json(result))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(new { root = registry.Root, models = rows, unreadable = registry.Unreadable }, JsonSerializerOptions.Web));
            }
            else
            {
                foreach (var row in rows)
                {
                    await context.Out.WriteLineAsync($"{row.name + "@" + row.version,-32} {row.kind,-8} {row.modality ?? "-",-8} {row.bytes,10:N0} B  sha256 {row.sha256}");
                }

                foreach (var problem in registry.Unreadable)
                {
                    await context.Out.WriteLineAsync($"unreadable: {problem}");
                }
            }

            return registry.Unreadable.Count == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
        });

        var verify = new Command("verify", "Recompute every file's SHA-256 and compare with the manifests (exit 1 on any difference)");
        verify.SetAction(async (result, _) =>
        {
            var registry = Registry(context);
            var checks = registry.VerifyAll();
            var ok = checks.All(c => c.Valid) && registry.Unreadable.Count == 0 && checks.Length > 0;
            if (CliContext.Json(result))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(new { valid = ok, models = checks.Select(c => new { id = c.Id, valid = c.Valid, problems = c.Problems }), unreadable = registry.Unreadable }, JsonSerializerOptions.Web));
            }
            else
            {
                foreach (var check in checks)
                {
                    await context.Out.WriteLineAsync(check.Valid ? $"ok        {check.Id}" : $"TAMPERED  {check.Id}: {string.Join("; ", check.Problems)}");
                }

                foreach (var problem in registry.Unreadable)
                {
                    await context.Out.WriteLineAsync($"UNREADABLE {problem}");
                }

                await context.Out.WriteLineAsync(checks.Length == 0 ? "no models found" : ok ? $"{checks.Length} models verified" : "verification FAILED");
            }

            return ok ? ExitCodes.Success : ExitCodes.CheckFailed;
        });

        var reference = new Argument<string>("MODEL") { Description = "name@version" };
        var seal = new Command("seal", "Record the SHA-256 of every file of a model folder in its manifest (after training or editing the card)") { reference };
        seal.SetAction(async (result, _) =>
        {
            var registry = Registry(context);
            var model = Find(registry, result.GetRequiredValue(reference));
            var manifest = ModelRegistry.Seal(model.Folder);
            await context.Out.WriteLineAsync($"sealed {manifest.Id}: {manifest.Files.Count} files");
            return ExitCodes.Success;
        });

        var package = new Command("package", "Write manifest.json (and seal) for every model folder the training script left a training.json in");
        package.SetAction(async (result, _) =>
        {
            var root = ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]);
            foreach (var id in ModelPackager.PackageAll(root))
            {
                await context.Out.WriteLineAsync($"packaged {id}");
            }

            return ExitCodes.Success;
        });

        models.Subcommands.Add(list);
        models.Subcommands.Add(package);
        models.Subcommands.Add(ModelsEvaluateCommand.Create(context));
        models.Subcommands.Add(verify);
        models.Subcommands.Add(seal);
        return models;
    }

    internal static ModelRegistry Registry(CliContext context) =>
        ModelRegistry.Scan(ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]));

    internal static RegisteredModel Find(ModelRegistry registry, string reference)
    {
        try
        {
            return registry.Find(reference);
        }
        catch (ModelContractException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
